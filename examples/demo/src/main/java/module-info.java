/**
 * The Pounce demo app: a hello route for benchmarks, JSON, a streaming echo, server-sent events, a slow route for
 * shutdown tests, a CPU-bound hash route and a route that throws. {@code bin/pounce} serves it.
 * <pre>{@code
 * pounce                              # found as the one App provider on the module path
 * pounce dev.pounce.demo.DemoApp      # or named by class
 * }</pre>
 */
module dev.pounce.demo {
    requires dev.pounce.api;

    // Exported so that `pounce dev.pounce.demo.DemoApp` can call the public constructor by name.
    exports dev.pounce.demo;

    // `pounce` with no APP: the CLI serves the one provider of App on the module path.
    provides dev.pounce.api.App with dev.pounce.demo.DemoApp;
}
