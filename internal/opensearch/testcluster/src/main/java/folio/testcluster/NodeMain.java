// Package folio.testcluster runs one real OpenSearch node, built from
// Maven Central's artifacts, for Folio's tests. start.sh starts one JVM
// per node so that a test can kill a node as a machine would fail.
package folio.testcluster;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * NodeMain starts a node and keeps it running until the process is
 * stopped. Arguments: home dir, node name, HTTP port, transport port,
 * and, for a cluster of several nodes, the transport addresses of all
 * nodes and the names of all nodes (both comma-separated).
 */
public final class NodeMain {
    /** A node with plugins from the class path, as the distribution loads modules from disk. */
    static final class PluginNode extends Node {
        PluginNode(Environment env, List<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 6) {
            System.err.println("usage: NodeMain HOME NAME HTTP_PORT TRANSPORT_PORT [SEEDS NAMES]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Settings.Builder s = Settings.builder()
            .put("cluster.name", "folio-test")
            .put("node.name", args[1])
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[2])
            .put("transport.port", args[3])
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // Test machines run with little free disk; the watermarks
            // would otherwise refuse to allocate shards.
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (args.length == 4) {
            s.put("discovery.type", "single-node");
        } else {
            s.put("discovery.seed_hosts", args[4]);
            s.put("cluster.initial_cluster_manager_nodes", args[5]);
        }
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            s.build(), Collections.emptyMap(), null, () -> args[1]);
        Node node = new PluginNode(env, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        node.start();
        System.out.println("started " + args[1] + " http=" + args[2]);
        stopped.await();
    }
}
