package dev.graft.bridge;

/** The response as a stage sees and changes it: before it is sent, its status and header fields. */
public interface ResponseView {

    /** The status ({@code ngx.status}); 0 while none is known. */
    int status();

    void status(int status);

    /** The response header fields ({@code ngx.header}). */
    HeaderFields headers();
}
