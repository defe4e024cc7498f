package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our writer and reader against the reference implementation, dtc. */
class FdtDtcTest {
    @Test
    void dtcDecompilesOurBlobToTheTreeWeBuilt() throws IOException {
        Dtc.Result r = Dtc.decompile(FdtTest.sampleTree().toDtb());

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("""
                /dts-v1/;

                /memreserve/\t0x0000000048000000 0x0000000000001000;
                / {
                \t#address-cells = <0x02>;
                \t#size-cells = <0x02>;
                \tcompatible = "acme,board\\0acme,soc";
                \tmodel = "Acme board";

                \tintc@8000000 {
                \t\tphandle = <0x8000>;
                \t\tinterrupt-controller;
                \t\t#interrupt-cells = <0x03>;
                \t};

                \tdev@9000000 {
                \t\treg = <0x00 0x9000000 0x00 0x1000>;
                \t\tinterrupt-parent = <0x8000>;
                \t\tbig = <0x12345678 0x9abcdef0>;
                \t\tblob = [01 02 03];

                \t\tsub {
                \t\t\tstatus = "okay";
                \t\t};
                \t};

                \tchosen {
                \t\tbootargs = "console=ttyAMA0 earlycon";
                \t};
                };
                """, r.text());
    }

    private static final String SOURCE = """
            /dts-v1/;
            /memreserve/ 0x40000000 0x10000;
            / {
                #address-cells = <2>;
                #size-cells = <2>;
                compatible = "vendor,board", "vendor,family";
                gic: interrupt-controller@8000000 {
                    compatible = "arm,gic-v3";
                    interrupt-controller;
                    #interrupt-cells = <3>;
                    reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>;
                };
                serial@9000000 {
                    interrupt-parent = <&gic>;
                    interrupts = <0 1 4>;
                    mac = [de ad be ef 00 01];
                    status = "okay";
                    big = /bits/ 64 <0x123456789abcdef0>;
                };
                chosen {
                    bootargs = "console=ttyAMA0";
                };
            };
            """;

    @Test
    void ourReaderReadsWhatDtcCompiles() throws IOException {
        Fdt fdt = Fdt.fromDtb(Dtc.compile(SOURCE), "dtc output");

        assertEquals(List.of(new MemoryReservation(0x4000_0000L, 0x10000)), fdt.reservations());
        assertEquals(List.of("vendor,board", "vendor,family"), fdt.root().property("compatible").orElseThrow().asStringList());
        FdtNode gic = fdt.find("/interrupt-controller@8000000").orElseThrow();
        assertTrue(gic.property("interrupt-controller").orElseThrow().isEmpty());
        assertArrayEquals(new int[] {0, 0x0800_0000, 0, 0x1_0000, 0, 0x080a_0000, 0, 0xf6_0000},
                gic.property("reg").orElseThrow().asCells());
        int phandle = gic.property("phandle").orElseThrow().asU32();
        FdtNode serial = fdt.find("/serial").orElseThrow();
        assertEquals(phandle, serial.property("interrupt-parent").orElseThrow().asU32(), "&gic resolves to gic's phandle");
        assertArrayEquals(new int[] {0, 1, 4}, serial.property("interrupts").orElseThrow().asCells());
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1},
                serial.property("mac").orElseThrow().value());
        assertEquals(0x1234_5678_9abc_def0L, serial.property("big").orElseThrow().asU64());
        assertEquals("console=ttyAMA0", fdt.find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
    }

    @Test
    void aDtcBlobRewrittenByUsDecompilesToTheSameSource() throws IOException {
        byte[] dtcBlob = Dtc.compile(SOURCE);

        byte[] ours = Fdt.fromDtb(dtcBlob, "dtc output").toDtb();

        assertEquals(Dtc.decompile(dtcBlob).text(), Dtc.decompile(ours).text());
    }
}
