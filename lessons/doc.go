// Package lessons holds the micro-lesson catalogue: the Markdown format
// partners author lessons in, its validation (Lint, with problems that name
// file and line), the default catalogue embedded in the binary, the choice
// of a learner's next lesson, quiz progress and the spaced review of missed
// questions (FSRS-4.5).
//
// A lesson file is Markdown with YAML front matter between two "---" lines:
//
//	---
//	id: mqtt-qos
//	title: MQTT quality of service levels
//	track: mqtt
//	skills: [mqtt.qos]
//	level: beginner            # beginner | intermediate | advanced
//	minutes: 3                 # 1..5
//	prerequisites: [mqtt-topics]
//	sources:
//	  - https://docs.oasis-open.org/mqtt/mqtt/v5.0/mqtt-v5.0.html
//	quiz:
//	  - question: Which QoS level ...?
//	    options:
//	      - QoS 0
//	      - text: QoS 1
//	        correct: true
//	      - QoS 2
//	    explanation: Why the right answer is right.
//	translations:
//	  de:
//	    title: ...
//	    body: |
//	      ...
//	    quiz:
//	      - question: ...
//	        options: [..., ..., ...]   # same order and count as English
//	        explanation: ...
//	---
//	English body in Markdown.
//
// The embedded catalogue lives in catalog/<track>/<id>.md. Progress and its
// review items are plain data, kept as JSON in the learner's state; nothing
// here talks to Redis.
package lessons
