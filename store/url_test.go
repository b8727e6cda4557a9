package store

import (
	"context"
	"net"
	"strings"
	"testing"
)

func TestREDISURLSingleServer(t *testing.T) {
	tests := []struct {
		url, addr, user, pass string
		db                    int
		tls                   bool
	}{
		{url: "redis://127.0.0.1:6379", addr: "127.0.0.1:6379"},
		{url: "redis://ana:s3cret@db.example:6380/2", addr: "db.example:6380",
			db: 2, user: "ana", pass: "s3cret"},
		{url: "rediss://:pw@cache.example:6379/1?pool_size=7", addr: "cache.example:6379",
			db: 1, pass: "pw", tls: true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r, err := parseRedisURL(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			o := r.single
			if o == nil {
				t.Fatalf("not read as one server: %+v", r)
			}
			if o.Addr != tt.addr || o.DB != tt.db || o.Username != tt.user ||
				o.Password != tt.pass || (o.TLSConfig != nil) != tt.tls {
				t.Errorf("got addr %s db %d user %q pass %q tls %v", o.Addr, o.DB,
					o.Username, o.Password, o.TLSConfig != nil)
			}
			if strings.Contains(r.String(), "s3cret") || !strings.Contains(r.String(), tt.addr) {
				t.Errorf("String() = %q", r.String())
			}
		})
	}
	if r, _ := parseRedisURL("rediss://h:1?pool_size=7"); r.single.PoolSize != 7 {
		t.Errorf("pool_size not kept: %d", r.single.PoolSize)
	}
}

func TestREDISURLSentinel(t *testing.T) {
	raw := "redis://:spw@s1:26379/3?master_name=mymaster&addr=s2:26379&addr=s3:26379&password=mpw"
	r, err := parseRedisURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	o := r.failover
	if o == nil {
		t.Fatalf("not read as Sentinel: %+v", r)
	}
	if got := strings.Join(o.SentinelAddrs, ","); got != "s1:26379,s2:26379,s3:26379" {
		t.Errorf("sentinels = %s", got)
	}
	if o.MasterName != "mymaster" || o.DB != 3 || o.SentinelPassword != "spw" || o.Password != "mpw" {
		t.Errorf("got master %q db %d sentinel password %q password %q",
			o.MasterName, o.DB, o.SentinelPassword, o.Password)
	}
	if s := r.String(); strings.Contains(s, "spw") || strings.Contains(s, "mpw") ||
		!strings.Contains(s, "mymaster") {
		t.Errorf("String() = %q", s)
	}
	if r, err := parseRedisURL("rediss://s1:26379?master_name=main"); err != nil ||
		r.failover == nil || r.failover.TLSConfig == nil {
		t.Errorf("rediss sentinel: %+v, %v", r, err)
	}
}

func TestREDISURLClusterByAddrs(t *testing.T) {
	r, err := parseRedisURL("redis://n1:7000?addr=n2:7000&addr=n3:7000")
	if err != nil || r.cluster == nil {
		t.Fatalf("not read as Cluster: %+v, %v", r, err)
	}
	if got := strings.Join(r.cluster.Addrs, ","); got != "n1:7000,n2:7000,n3:7000" {
		t.Errorf("nodes = %s", got)
	}
}

func TestREDISURLRejectsOthers(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:6379", "127.0.0.1:6379", "redis://h:1/notanumber"} {
		if _, err := parseRedisURL(u); err == nil {
			t.Errorf("parseRedisURL(%q) accepted it", u)
		}
	}
}

func TestOpenErrorHidesPassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Open(context.Background(), Config{URL: "redis://:topsecret@" + addr + "?max_retries=-1"})
	if err == nil {
		t.Fatal("Open succeeded on a closed port")
	}
	if strings.Contains(err.Error(), "topsecret") || !strings.Contains(err.Error(), addr) {
		t.Errorf("error = %v; want the address without the password", err)
	}
}
