package dev.pounce.api;

/**
 * The common case made short: a whole request in, a whole response out. Turn one into an {@link App} with
 * {@link App#of(Handler)}:
 * <pre>{@code
 * App app = App.of(request -> request.path().equals("/")
 *         ? Response.text(200, "hello\n")
 *         : Response.text(404, "not found\n"));
 * }</pre>
 * The handler runs on the request's virtual thread, so it may block. Streaming responses, trailers, early hints
 * and WebSocket need the full {@link App} contract.
 */
@FunctionalInterface
public interface Handler {

    /**
     * @param request the request, its body read to the end
     * @return the response
     * @throws Exception any failure; the client gets a 500 and the failure is logged
     */
    Response handle(Request request) throws Exception;
}
