package io.gostats.relay.discovery;

import java.util.regex.Pattern;

/**
 * The path (and query) of a /stats URL, as written in configuration and in the {@code gostats.path} label. Only
 * RFC 3986 path and query characters: nothing that could end the request line or a header (CR, LF, space), name
 * another authority ({@code //host}, a scheme, a backslash some parsers read as a slash) or a fragment.
 */
public final class PathSpec {

    private static final Pattern PATH =
            Pattern.compile("/(?![/\\\\])(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*");

    private PathSpec() {
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code path} */
    public static String check(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("'" + printable(path) + "' does not start with /");
        }
        if (path.startsWith("//")) {
            throw new IllegalArgumentException("'" + printable(path) + "' starts with //, which names a host");
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("'" + printable(path)
                    + "' has characters a URL path may not have (only RFC 3986 path and query characters)");
        }
        return path;
    }

    /** Control characters shown escaped, so that a hostile label cannot forge log lines. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
