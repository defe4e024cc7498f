package dev.aarvark.devices;

/**
 * Guest errors in the interrupt-controller handshake (GICv2 and GICv3 CPU interfaces and
 * distributors): an end of interrupt or deactivation the GIC's state does not allow. The
 * operation is ignored and the GIC state stays as the architecture leaves it.
 */
public enum InterruptError implements GuestError {
    /** An end of interrupt (EOIR/AEOIR, ICC_EOIRn_EL1) with no interrupt active. */
    EOI_NOTHING_ACTIVE("end of interrupt with nothing active"),
    /** An end of interrupt through the other group's register (e.g. GICC_AEOIR for a Group 0 interrupt). */
    EOI_WRONG_GROUP("end of interrupt of the wrong group"),
    /** A deactivation (GICC_DIR, ICC_DIR_EL1) while EOImode is 0. */
    DEACTIVATE_WITH_EOIMODE_0("deactivate (DIR) write with EOImode 0");

    private final String text;

    InterruptError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
