package dev.graft.host.cli;

import dev.graft.host.config.GraftConfig.Listener;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code host:port} (port 0 for any free port) from the command line. */
final class ListenerConverter implements ITypeConverter<Listener> {

    @Override
    public Listener convert(String value) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = colon < 0 ? "" : value.substring(colon + 1);
        if (host.isEmpty() || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                || Integer.parseInt(port) > 65535) {
            throw new TypeConversionException(
                    "'" + value + "' (expected: host:port with a port from 0 to 65535, e.g. 127.0.0.1:8080)");
        }
        return new Listener(host, Integer.parseInt(port));
    }
}
