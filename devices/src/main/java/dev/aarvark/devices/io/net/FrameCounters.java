package dev.aarvark.devices.io.net;

/**
 * What a {@link FrameBackend} has carried and dropped, as a snapshot. "tx" is guest to peer (what
 * {@link FrameBackend#send} was offered), "rx" is peer to guest. A count a backend cannot have
 * (foreign datagrams on a stream) stays 0.
 *
 * @param txFrames     frames taken by {@code send} ({@link FrameBackend.SendResult#SENT})
 * @param txBytes      bytes of those frames
 * @param txFull       {@code send} calls answered {@link FrameBackend.SendResult#FULL} (the frame
 *                     stayed with the device, which offers it again: not a loss)
 * @param txNoPeer     frames answered {@link FrameBackend.SendResult#DROPPED_NO_PEER}
 * @param txFailed     frames taken that the socket then could not send (the peer left before they
 *                     went out, the host refused a datagram)
 * @param rxFrames     frames handed to the device
 * @param rxBytes      bytes of those frames
 * @param rxEmpty      zero-length frames from the peer, ignored
 * @param rxOversize   peers disconnected because they announced a frame longer than
 *                     {@link FrameBackend#MAX_FRAME}
 * @param rxForeign    datagrams from a source other than the configured remote, ignored
 * @param peersRefused connections closed at once because a peer was already connected
 */
public record FrameCounters(long txFrames, long txBytes, long txFull, long txNoPeer, long txFailed,
                            long rxFrames, long rxBytes, long rxEmpty, long rxOversize, long rxForeign,
                            long peersRefused) {
    /**
     * One line of what the backend lost or refused, e.g. "backend full 3, no peer 12"; "" when
     * nothing was (frames carried are the device's counters, which see the same frames).
     */
    public String losses() {
        StringBuilder sb = new StringBuilder();
        add(sb, "backend full", txFull);
        add(sb, "no peer", txNoPeer);
        add(sb, "send failed", txFailed);
        add(sb, "empty from peer", rxEmpty);
        add(sb, "oversize from peer", rxOversize);
        add(sb, "foreign datagrams", rxForeign);
        add(sb, "peers refused", peersRefused);
        return sb.toString();
    }

    private static void add(StringBuilder sb, String what, long n) {
        if (n > 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append(what).append(' ').append(n);
        }
    }
}
