package dev.graft.host.proxy;

/**
 * A request the front of the pipeline refused before it became an exchange: malformed,
 * smuggling-prone, or over a limit. Sent down the client pipeline as a message in place of the
 * request, so the frontend answers it in order with the requests before it.
 *
 * @param status the status to answer with (400, 413, 414, or 494: nginx's
 *               "Request Header Or Cookie Too Large", sent as 400), after which the connection closes
 * @param reason why, for debugging
 */
record RequestRejection(int status, String reason) {}
