/**
 * Getting a guest into RAM the way QEMU's {@code virt} board does: the flattened device tree (FDT)
 * writer and reader, the {@code virt} board's own device tree, and the kernel loaders (Linux arm64
 * {@code Image}, ELF64 AArch64, raw binary, optionally gzip-compressed) with the initrd and DTB
 * placed by QEMU's rules ({@code hw/arm/boot.c}).
 *
 * <p>Entry points: {@link dev.aarvark.emulator.boot.KernelLoader#load} (the front door the machine
 * calls), {@link dev.aarvark.emulator.boot.VirtDeviceTree} (the generated tree),
 * {@link dev.aarvark.emulator.boot.UserDeviceTree} ({@code --dtb FILE}). Every failure caused by an
 * input file is a {@link dev.aarvark.emulator.boot.BootImageException} whose one-line message names
 * the file and the reason; a failed load leaves guest RAM untouched.
 */
package dev.aarvark.emulator.boot;
