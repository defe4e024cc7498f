package dev.aarvark.cli.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots every self-checking bare-metal guest (guest-images/baremetal) and asserts on what it printed
 * and on the exit status. The guests check ESR/ELR/SPSR/FAR themselves against the values QEMU 7.2
 * gives; each failing check prints its name and the expected and actual values.
 */
class BareMetalGuestsIT {
    @ParameterizedTest(name = "{0} on {1} with --preempt {2}")
    // Every self-checking guest with both preemption strategies, so a fix that holds for one only shows.
    @CsvSource({
            "exceptions, cortex-a57, kick",
            "exceptions, cortex-a57, count",
            "mmu, cortex-a57, kick",
            "mmu, cortex-a57, count",
            "psci, cortex-a57, kick",
            "psci, cortex-a57, count",
            "semihost, cortex-a57, kick",
            "semihost, cortex-a57, count",
            "smc, cortex-a57, kick",
            "smc, cortex-a57, count",
            "timer, cortex-a57, kick",
            "timer, cortex-a57, count",
            "ifetch, cortex-a57, kick",
            "ifetch, cortex-a57, count",
            "fpen, cortex-a57, kick",
            "fpen, cortex-a57, count",
            "exceptions, cortex-a53, auto",
            "exceptions, cortex-a72, auto",
            "mmu, cortex-a53, auto",
            "mmu, cortex-a72, auto",
            "smc, cortex-a53, auto",
            "smc, cortex-a72, auto",
            "ifetch, cortex-a53, auto",
            "ifetch, cortex-a72, auto",
            "fpen, cortex-a53, auto",
            "fpen, cortex-a72, auto",
    })
    void selfCheckingGuestPassesEveryCheck(String guest, String cpu, String preempt) throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--cpu", cpu, "--preempt", preempt,
                "--kernel", Aarvark.guest(guest).toString(), "--timeout", "60s");
        assertTrue(r.stdout().contains(guest + ": PASS"), r.toString());
        assertTrue(!r.stdout().contains("FAIL"), r.toString());
        assertEquals(0, r.status(), r.toString());
    }

    @ParameterizedTest(name = "hello prints its line and exits 0 ({0})")
    @CsvSource({"kick", "count"})
    void helloPrintsOnTheUartAndExitsZero(String preempt) throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--preempt", preempt, "--kernel", Aarvark.guest("hello").toString());
        assertEquals("Hello from the aarvark bare-metal guest\n", r.stdout(), r.toString());
        assertEquals(0, r.status(), r.toString());
    }

    @ParameterizedTest(name = "a guest built to fail exits 1 ({0})")
    @CsvSource({"kick", "count"})
    void aGuestBuiltToFailExitsOne(String preempt) throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--preempt", preempt, "--kernel", Aarvark.guest("fail").toString());
        assertTrue(r.stdout().contains("fail: deliberate failure"), r.toString());
        assertEquals(1, r.status(), r.toString());
    }
}
