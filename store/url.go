package store

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
)

// redisURL is REDIS_URL read the way go-redis reads URLs. Exactly one of
// its fields is set:
//
//   - redis://[user:password@]host:port[/db] or rediss:// (TLS): one server,
//     options as redis.ParseURL reads them;
//   - with ?master_name=NAME (and &addr=host:port for each further sentinel):
//     Sentinel, as redis.ParseFailoverURL reads it; the URL's user and
//     password are the sentinels', &password= is the master's;
//   - with &addr=host:port but no master_name: Cluster, as
//     redis.ParseClusterURL reads it.
type redisURL struct {
	raw      string
	single   *redis.Options
	failover *redis.FailoverOptions
	cluster  *redis.ClusterOptions
}

func parseRedisURL(raw string) (redisURL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return redisURL{}, fmt.Errorf("store: REDIS_URL: %w", err)
	}
	r := redisURL{raw: raw}
	q := u.Query()
	switch {
	case q.Get("master_name") != "":
		r.failover, err = redis.ParseFailoverURL(raw)
	case len(q["addr"]) > 0:
		r.cluster, err = redis.ParseClusterURL(raw)
	default:
		r.single, err = redis.ParseURL(raw)
	}
	if err != nil {
		return redisURL{}, fmt.Errorf("store: REDIS_URL %s: %w", redactURL(raw), err)
	}
	return r, nil
}

// client returns a client for the URL's server(s).
func (r redisURL) client() redis.UniversalClient {
	switch {
	case r.failover != nil:
		return redis.NewFailoverClient(r.failover)
	case r.cluster != nil:
		return redis.NewClusterClient(r.cluster)
	default:
		return redis.NewClient(r.single)
	}
}

// String names the store for the start-up log, without passwords.
func (r redisURL) String() string {
	switch {
	case r.failover != nil:
		return "redis sentinel master " + r.failover.MasterName + " via " + redactURL(r.raw)
	case r.cluster != nil:
		return "redis cluster " + redactURL(r.raw)
	default:
		return "redis " + redactURL(r.raw)
	}
}

// redactURL hides the passwords in raw: the user info's and those in
// query parameters.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}
