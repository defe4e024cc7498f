package dev.aarvark.devices.virtio.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique device names, so each test counts its own guest errors. */
public final class Names {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Names() {}

    public static String unique(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet();
    }
}
