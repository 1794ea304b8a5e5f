package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A customer of the parity config: a name, the host its requests carry, and its module
 * settings (a case's {@code modules}, or a customer of the shipped config).
 */
record ParityCustomer(String name, String host, ObjectNode modules) {
    ParityCustomer {
        requireNonNull(name, "name");
        requireNonNull(host, "host");
        requireNonNull(modules, "modules");
    }
}
