package dev.aarvark.emulator.boot;

import dev.aarvark.memory.GuestRam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The front door for booting a guest: reads the kernel (and initrd), tells the kernel's format from
 * its content ({@link KernelFormat}), hands it to the matching loader, and returns the
 * {@link BootPlan} the machine applies at reset.
 *
 * <ul>
 *   <li>ELF → {@link ElfLoader}: segments at their physical addresses, DTB at the base of RAM.</li>
 *   <li>Linux arm64 {@code Image} (also with an EFI stub) → {@link LinuxImageLoader}: QEMU's
 *       placement (RAM + 2 MiB for a modern kernel), initrd and DTB after it.</li>
 *   <li>gzip → decompressed (at most the size of RAM), then an {@code Image} or, without the Image
 *       magic, a raw binary, as QEMU's {@code load_aarch64_image} does.</li>
 *   <li>Anything else → {@link RawImageLoader}: RAM + 0x80000.</li>
 * </ul>
 *
 * Every failure is a {@link BootImageException} with a one-line message naming the file and the
 * reason (missing, unreadable, empty, larger than RAM, malformed, does not fit). Placement is
 * decided and checked before anything is written, so a failed load leaves RAM untouched.
 */
public final class KernelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(KernelLoader.class);

    private KernelLoader() {
    }

    /** Loads {@code request} into {@code ram}. */
    public static BootPlan load(GuestRam ram, BootRequest request) {
        String ramLimit = "RAM (" + Hex.of(ram.size()) + " bytes)";
        BootFile kernel = BootFile.read("kernel", request.kernel(), ram.size(), ramLimit);
        Optional<BootFile> initrd = request.initrd().map(p -> BootFile.read("initrd", p, ram.size(), ramLimit));
        KernelFormat format = KernelFormat.detect(kernel.content());
        BootPlan plan = switch (format) {
            case ELF -> ElfLoader.load(ram, kernel, initrd, request.dtb());
            case LINUX_IMAGE -> LinuxImageLoader.load(ram, kernel, initrd, request.dtb());
            case RAW -> RawImageLoader.load(ram, kernel, initrd, request.dtb());
            case GZIP -> {
                BootFile inflated = GzipKernel.decompress(kernel, ram.size());
                yield KernelFormat.isLinuxImage(inflated.content())
                        ? LinuxImageLoader.load(ram, inflated, initrd, request.dtb())
                        : RawImageLoader.load(ram, inflated, initrd, request.dtb());
            }
        };
        LOG.info("kernel {}: {}{} at {}, entry {}; initrd {}; dtb {} at {}", kernel.source(), plan.format(),
                format == KernelFormat.GZIP ? " (gunzipped)" : "", plan.kernel(), Hex.of(plan.entryPc()),
                plan.initrd().map(PhysicalRange::toString).orElse("none"), request.dtb().source(), plan.dtb());
        plan.warnings().forEach(LOG::warn);
        return plan;
    }
}
