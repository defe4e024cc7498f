package dev.aarvark.devices.gic;

/**
 * An interrupt's group (IHI 0048B §3.4, IHI 0069 §4.6). With the single Security state this model
 * has, Group 0 interrupts may be signalled as FIQ and Group 1 interrupts are signalled as IRQ
 * (see {@link GicCore}).
 */
public enum InterruptGroup {
    GROUP0,
    GROUP1;

    /** The group whose GICD_IGROUPR bit is {@code bit}. */
    public static InterruptGroup ofBit(boolean bit) {
        return bit ? GROUP1 : GROUP0;
    }
}
