package opensearch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The tests run against a real OpenSearch cluster: the one
// FOLIO_OPENSEARCH_URLS names, or else a node that TestMain starts with
// testcluster/start.sh (Java and Maven needed) and stops at the end.
// Without Java or Maven the tests skip, unless FOLIO_OPENSEARCH_REQUIRED
// is set (as CI sets it): then they fail.
var (
	clusterURLs []string
	skipReason  string // why there is no cluster, when Java or Maven is missing
	startErr    error  // start.sh failed though Java and Maven are here
)

func TestMain(m *testing.M) {
	stop := setUpCluster()
	code := m.Run()
	stop()
	if three.stop != nil {
		three.stop()
	}
	os.Exit(code)
}

// three is the cluster of three nodes that the tests of sharding and
// faults share, started by the first of them.
var three struct {
	once sync.Once
	urls []string
	port int
	stop func()
	err  error
}

// threeNodes returns the URLs of the shared three-node cluster, started
// on first use, and a function that kills node i or starts it again
// (testcluster/node.sh). It skips when FOLIO_OPENSEARCH_URLS names a
// cluster, which the tests must not fail.
func threeNodes(t *testing.T) (urls []string, node func(i int, action string)) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if os.Getenv("FOLIO_OPENSEARCH_URLS") != "" {
		t.Skip("FOLIO_OPENSEARCH_URLS names a cluster: the three-node tests start their own only without it")
	}
	three.once.Do(func() { three.urls, three.port, three.stop, three.err = startCluster(3) })
	if three.err != nil {
		t.Fatal(three.err)
	}
	return three.urls, func(i int, action string) {
		t.Helper()
		out, err := exec.Command("testcluster/node.sh", fmt.Sprint(three.port), fmt.Sprint(i), action).CombinedOutput()
		if err != nil {
			t.Fatalf("node.sh %d %s: %v\n%s", i, action, err, out)
		}
	}
}

func setUpCluster() (stop func()) {
	if urls := os.Getenv("FOLIO_OPENSEARCH_URLS"); urls != "" {
		clusterURLs = strings.Split(urls, ",")
		return func() {}
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipReason = "no OpenSearch cluster: " + tool + " is not installed and FOLIO_OPENSEARCH_URLS is not set"
			if os.Getenv("FOLIO_OPENSEARCH_REQUIRED") != "" {
				startErr, skipReason = errors.New(skipReason), ""
			}
			return func() {}
		}
	}
	clusterURLs, _, stop, startErr = startCluster(1)
	return stop
}

// startCluster starts a cluster of nodes with start.sh and returns the
// URLs of its nodes, its HTTP port and the function that stops it.
func startCluster(nodes int) (urls []string, port int, stop func(), err error) {
	port, err = freePorts(nodes)
	if err != nil {
		return nil, 0, func() {}, err
	}
	p := fmt.Sprint(port)
	cmd := exec.Command("testcluster/start.sh", fmt.Sprint(nodes), p)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, 0, func() {}, fmt.Errorf("testcluster/start.sh %d %s: %w", nodes, p, err)
	}
	for i := range nodes {
		urls = append(urls, fmt.Sprintf("http://127.0.0.1:%d", port+i))
	}
	return urls, port, func() {
		if err := exec.Command("testcluster/stop.sh", p).Run(); err != nil {
			fmt.Fprintln(os.Stderr, "testcluster/stop.sh:", err)
		}
	}, nil
}

// freePorts finds a port p such that p+i (HTTP) and p+100+i (transport)
// are free for each node i, as start.sh lays them out, and start.sh has
// no state directory for p.
func freePorts(nodes int) (int, error) {
	free := func(p int) bool {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			l.Close()
		}
		return err == nil
	}
next:
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+100+nodes > 65535 {
			continue
		}
		// start.sh refuses a port whose state directory is left over
		// from a cluster that was killed rather than stopped.
		if _, err := os.Stat(filepath.Join(os.TempDir(), fmt.Sprintf("folio-opensearch-%d", p))); err == nil {
			continue
		}
		for i := range nodes {
			if !free(p+i) || !free(p+100+i) {
				continue next
			}
		}
		return p, nil
	}
	return 0, fmt.Errorf("no free ports for a test cluster of %d nodes", nodes)
}

var indexes atomic.Int64

// openTest opens the engine on a fresh index of the test cluster, deleted
// when the test ends.
func openTest(t *testing.T) *Engine {
	t.Helper()
	return openSharded(t, clusterURLs, 1, 0)
}

// openSharded opens the engine on a fresh index of shards shards with
// replicas replicas on the cluster at urls, deleted when the test ends.
func openSharded(t *testing.T, urls []string, shards, replicas int) *Engine {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	name := fmt.Sprintf("folio-test-%d-%d", os.Getpid(), indexes.Add(1))
	e, err := Open(context.Background(), Config{URLs: urls, Index: name, Shards: shards, Replicas: replicas})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		req, _ := http.NewRequest(http.MethodDelete, urls[0]+"/"+name, nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	})
	return e
}
