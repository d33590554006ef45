package dev.pounce.spi;

/**
 * How workers are hosted: {@code thread} (event loops in this JVM) or {@code process} (child JVMs), found by
 * {@link java.util.ServiceLoader} and chosen by the {@code --worker-strategy} flag. Used when more than one worker
 * runs; a single worker runs without a strategy or a supervisor.
 */
public interface WorkerStrategy {

    /** @return the name users pick it by, lower-case: {@code thread}, {@code process} */
    String name();

    /**
     * Whether the workers serve the app object that the runtime loaded in this JVM. A strategy whose workers load the
     * app themselves (in other JVMs) says false, and the runtime then neither loads the app nor runs its lifespan
     * here. Asked once, at start.
     *
     * @return true for in-JVM workers (the default)
     */
    default boolean servesInThisJvm() {
        return true;
    }

    /**
     * Starts {@link WorkerContext#workers()} workers. Called once by the runtime on the main thread; may block
     * until every worker is serving, and must not return before.
     *
     * @param context the config and the means to make in-JVM workers
     * @return a handle the runtime drains, stops and watches
     * @throws Exception if a worker cannot start; workers already started must be stopped first
     */
    WorkerGroup start(WorkerContext context) throws Exception;
}
