package skills

// names builds a name map in the order of Languages: en, sl, fi, et, de, it.
func names(en, sl, fi, et, de, it string) map[string]string {
	return map[string]string{"en": en, "sl": sl, "fi": fi, "et": et, "de": de, "it": it}
}

var tracks = []Track{
	{"sensors", names("Sensors and signals", "Senzorji in signali", "Anturit ja signaalit",
		"Andurid ja signaalid", "Sensoren und Signale", "Sensori e segnali")},
	{"networks", names("Industrial networks and fieldbuses",
		"Industrijska omrežja in procesna vodila", "Teollisuusverkot ja kenttäväylät",
		"Tööstusvõrgud ja väljasiinid", "Industrielle Netzwerke und Feldbusse",
		"Reti industriali e bus di campo")},
	{"mqtt", names("MQTT messaging", "Sporočanje z MQTT", "MQTT-viestintä",
		"MQTT sõnumivahetus", "Nachrichtenaustausch mit MQTT", "Messaggistica MQTT")},
	{"opcua", names("OPC UA", "OPC UA", "OPC UA", "OPC UA", "OPC UA", "OPC UA")},
	{"edge", names("Edge and cloud", "Rob omrežja in oblak", "Reunalaskenta ja pilvi",
		"Servaarvutus ja pilv", "Edge und Cloud", "Edge e cloud")},
	{"security", names("OT security", "Varnost OT", "OT-tietoturva", "OT-turve",
		"OT-Sicherheit", "Sicurezza OT")},
}

var all = []Skill{
	// Sensors and signals.
	{"sensors.current-loop", "sensors", names("4–20 mA current loops", "Tokovne zanke 4–20 mA",
		"4–20 mA:n virtasilmukat", "4–20 mA vooluahelad", "4–20-mA-Stromschleifen",
		"Anelli di corrente 4–20 mA")},
	{"sensors.temperature", "sensors", names("Temperature sensors (RTD, thermocouple)",
		"Temperaturna tipala (uporovna, termočleni)", "Lämpötila-anturit (vastusanturit, termoparit)",
		"Temperatuuriandurid (takistusandurid, termopaarid)",
		"Temperatursensoren (Widerstandsthermometer, Thermoelemente)",
		"Sensori di temperatura (termoresistenze, termocoppie)")},
	{"sensors.digital-io", "sensors", names("Digital inputs and outputs",
		"Digitalni vhodi in izhodi", "Digitaaliset tulot ja lähdöt",
		"Digitaalsed sisendid ja väljundid", "Digitale Ein- und Ausgänge",
		"Ingressi e uscite digitali")},
	{"sensors.signal-conditioning", "sensors", names("Signal conditioning",
		"Prilagajanje signalov", "Signaalin muokkaus", "Signaali töötlemine",
		"Signalaufbereitung", "Condizionamento del segnale")},

	// Industrial networks and fieldbuses.
	{"networks.modbus", "networks", names("Modbus RTU and TCP", "Modbus RTU in TCP",
		"Modbus RTU ja TCP", "Modbus RTU ja TCP", "Modbus RTU und TCP", "Modbus RTU e TCP")},
	{"networks.profinet", "networks", names("PROFINET", "PROFINET", "PROFINET", "PROFINET",
		"PROFINET", "PROFINET")},
	{"networks.io-link", "networks", names("IO-Link", "IO-Link", "IO-Link", "IO-Link",
		"IO-Link", "IO-Link")},
	{"networks.industrial-ethernet", "networks", names("Industrial Ethernet",
		"Industrijski Ethernet", "Teollisuus-Ethernet", "Tööstuslik Ethernet",
		"Industrielles Ethernet", "Ethernet industriale")},

	// MQTT.
	{"mqtt.basics", "mqtt", names("MQTT basics: brokers and topics",
		"Osnove MQTT: posredniki in teme", "MQTT:n perusteet: välittäjät ja aiheet",
		"MQTT alused: vahendajad ja teemad", "MQTT-Grundlagen: Broker und Topics",
		"Basi di MQTT: broker e topic")},
	{"mqtt.qos", "mqtt", names("MQTT quality of service", "Kakovost storitve v MQTT",
		"MQTT:n palvelun laatu", "MQTT teenuse kvaliteet", "MQTT-Dienstgüte",
		"Qualità del servizio MQTT")},
	{"mqtt.session", "mqtt", names("Sessions, retained messages and last will",
		"Seje, ohranjena sporočila in zadnja volja",
		"Istunnot, säilytettävät viestit ja viimeinen tahto",
		"Seansid, säilitatavad sõnumid ja viimane tahe",
		"Sitzungen, gespeicherte Nachrichten und letzter Wille",
		"Sessioni, messaggi conservati e ultime volontà")},
	{"mqtt.sparkplug", "mqtt", names("Sparkplug B payloads and states",
		"Sparkplug B: vsebina in stanja", "Sparkplug B: hyötykuorma ja tilat",
		"Sparkplug B: sisu ja olekud", "Sparkplug B: Nutzdaten und Zustände",
		"Sparkplug B: payload e stati")},

	// OPC UA.
	{"opcua.model", "opcua", names("OPC UA information model", "Informacijski model OPC UA",
		"OPC UA:n tietomalli", "OPC UA infomudel", "OPC-UA-Informationsmodell",
		"Modello informativo OPC UA")},
	{"opcua.client-server", "opcua", names("OPC UA clients and servers",
		"Odjemalci in strežniki OPC UA", "OPC UA -asiakkaat ja -palvelimet",
		"OPC UA kliendid ja serverid", "OPC-UA-Clients und -Server",
		"Client e server OPC UA")},
	{"opcua.pubsub", "opcua", names("OPC UA publish and subscribe",
		"Objava in naročnina v OPC UA", "OPC UA:n julkaisu ja tilaus",
		"OPC UA avaldamine ja tellimine", "OPC UA: Veröffentlichen und Abonnieren",
		"Pubblicazione e sottoscrizione in OPC UA")},
	{"opcua.security", "opcua", names("OPC UA security modes", "Varnostni načini OPC UA",
		"OPC UA:n tietoturvatilat", "OPC UA turberežiimid", "OPC-UA-Sicherheitsmodi",
		"Modalità di sicurezza OPC UA")},

	// Edge and cloud.
	{"edge.gateway", "edge", names("Edge gateways", "Robni prehodi", "Reunayhdyskäytävät",
		"Servalüüsid", "Edge-Gateways", "Gateway edge")},
	{"edge.timeseries", "edge", names("Time-series data", "Podatki časovnih vrst",
		"Aikasarjadata", "Aegridade andmed", "Zeitreihendaten", "Dati di serie temporali")},
	{"edge.digital-twin", "edge", names("Digital twins", "Digitalni dvojčki",
		"Digitaaliset kaksoset", "Digitaalsed kaksikud", "Digitale Zwillinge",
		"Gemelli digitali")},
	{"edge.cloud", "edge", names("Industrial IoT in the cloud", "Industrijski IoT v oblaku",
		"Teollinen IoT pilvessä", "Tööstuslik asjade internet pilves",
		"Industrielles IoT in der Cloud", "IoT industriale nel cloud")},

	// OT security.
	{"security.iec62443", "security", names("IEC 62443 zones and conduits",
		"Cone in prevodniki po IEC 62443", "IEC 62443: vyöhykkeet ja kanavat",
		"IEC 62443 tsoonid ja kanalid", "Zonen und Conduits nach IEC 62443",
		"Zone e condotti secondo IEC 62443")},
	{"security.segmentation", "security", names("Network segmentation",
		"Segmentacija omrežja", "Verkon segmentointi", "Võrgu segmenteerimine",
		"Netzwerksegmentierung", "Segmentazione della rete")},
	{"security.least-privilege", "security", names("Least privilege",
		"Načelo najmanjših pravic", "Vähimpien oikeuksien periaate",
		"Vähimate õiguste põhimõte", "Prinzip der minimalen Rechte",
		"Principio del privilegio minimo")},
	{"security.assets", "security", names("Asset inventory", "Popis sredstev",
		"Laiteinventaario", "Varade inventuur", "Bestandsverzeichnis der Anlagen",
		"Inventario degli asset")},
}
