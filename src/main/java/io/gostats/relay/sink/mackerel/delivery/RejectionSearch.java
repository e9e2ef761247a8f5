package io.gostats.relay.sink.mackerel.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import io.gostats.relay.sink.mackerel.api.MetricValue;

/**
 * A request Mackerel answered 400, searched for the values it rejects on their own: the rejected part is halved and
 * each half posted again, breadth first, until the rejected values are single or {@link #MAX_LEVELS} halvings deep;
 * only those are dropped. Mackerel does not say which value it refused (its message names one at best), and
 * mackerel-agent gives such a request up whole after its retries; halving finds a few bad values among a thousand in
 * about 2 × 10 small requests instead. When every piece of the first {@link #GIVE_UP_LEVEL} levels is refused too
 * (14 requests), the request is refused as a whole (say, a host id Mackerel does not know): the search stops and
 * every value is dropped with one error. Not thread-safe: the poster's thread owns it.
 */
final class RejectionSearch {

    /** 2^10 pieces: a 100 KB request holds about 900 values, so 10 halvings reach single values. */
    static final int MAX_LEVELS = 10;
    /** Levels searched without any piece accepted before the whole request is taken as refused. */
    static final int GIVE_UP_LEVEL = 3;
    private static final int EXAMPLES = 3;

    /** Values {@code [from, to)} of the request, {@code level} halvings deep. */
    record Piece(int from, int to, int level) {

        int size() {
            return to - from;
        }
    }

    private final Delivery delivery;
    private final Deque<Piece> pieces = new ArrayDeque<>();
    private final List<String> examples = new ArrayList<>();
    private String message;
    private boolean anyAccepted;
    private boolean gaveUp;
    private int dropped;
    private int requests;

    /** {@code message}: Mackerel's answer to the whole request. */
    RejectionSearch(Delivery delivery, String message) {
        this.delivery = delivery;
        this.message = message;
        rejected(new Piece(0, delivery.values().size(), 0), message);
    }

    Delivery delivery() {
        return delivery;
    }

    /** The next piece to post; empty when the search is over. */
    Optional<Piece> next() {
        Piece head = pieces.peekFirst();
        if (head != null && !anyAccepted && head.level() > GIVE_UP_LEVEL) {
            // breadth first: every piece of the levels above was refused, so is everything
            pieces.forEach(p -> dropped += p.size());
            pieces.clear();
            gaveUp = true;
        }
        return Optional.ofNullable(pieces.peekFirst());
    }

    List<MetricValue> values(Piece p) {
        return delivery.values().subList(p.from(), p.to());
    }

    /** The piece {@link #next()} gave was stored. */
    void accepted(Piece p) {
        remove(p);
        anyAccepted = true;
    }

    /** The piece {@link #next()} gave was answered 400 with {@code why}. */
    void rejected(Piece p, String why) {
        remove(p);
        if (p.size() > 1 && p.level() < MAX_LEVELS) {
            int half = p.from() + p.size() / 2;
            pieces.addLast(new Piece(p.from(), half, p.level() + 1));
            pieces.addLast(new Piece(half, p.to(), p.level() + 1));
            return;
        }
        dropped += p.size();
        message = why; // a smaller piece's answer names its value more surely than the whole request's
        if (examples.size() < EXAMPLES) {
            MetricValue v = delivery.values().get(p.from());
            examples.add(v.name() + "@" + v.time() + (p.size() > 1 ? " (+" + (p.size() - 1) + " more)" : ""));
        }
    }

    private void remove(Piece p) {
        if (p.level() > 0) {
            requests++;
            pieces.remove(p);
        }
    }

    /** Values dropped so far: all of the pieces refused at the bottom, or all of them once the search gave up. */
    int dropped() {
        return dropped;
    }

    boolean gaveUp() {
        return gaveUp;
    }

    /** One line for the log: how many values were refused, Mackerel's message and a few of them. */
    String summary() {
        int total = delivery.values().size();
        if (gaveUp) {
            return String.format("Mackerel rejected every part of a request of %d values (HTTP 400: %s; %d smaller"
                    + " requests tried): all dropped", total, message, requests);
        }
        return String.format("Mackerel rejected %d of %d values (HTTP 400: %s; found in %d smaller requests):"
                + " dropped, e.g. %s; the other %d stored", dropped, total, message, requests,
                String.join(", ", examples), total - dropped);
    }
}
