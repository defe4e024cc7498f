// virtio-net-rx-stray: a bare-metal virtio-net driver whose one RX buffer lies outside the frames it
// means to give the device, the BOOTINFO report's "vaddr-as-paddr" mistake reduced to its core.
//
// It brings up the first virtio-net device over modern virtio-mmio (virtio 1.2 §4.2.3.1, §3.1.1:
// reset, ACKNOWLEDGE, DRIVER, VIRTIO_F_VERSION_1 only, FEATURES_OK, receive queue 0 of 16 entries
// with its rings in the DMA frame at 0x40300000, DRIVER_OK). The one RX descriptor points at the
// CANARY frame at 0x40310000 instead, which is filled with the snapshot's post canary. It then
// notifies the queue, prints "virtio-net-rx-stray: ready" and waits up to 10 s for the device to
// return the buffer or to set DEVICE_NEEDS_RESET, and prints one line with what happened:
//   virtio-net-rx-stray: used=N len=L status=0xSS canary=intact|overwritten
// and exits 0 (1 if no virtio-net is there, no frame arrived, or set-up failed).
//
// With --dma-policy strict and a window of [0x40300000, 0x40310000) the write is refused:
// used=1 len=0, DEVICE_NEEDS_RESET (0x40) in the status, canary intact. Without a policy (and on
// QEMU) the frame lands on the canary.
#include "virtio-mmio.h"

/* The prefix lib/report.S prints (GUEST_NAME in the assembly guests). */
const char guest_name[] = "virtio-net-rx-stray";

#define DMA_FRAME      0x40300000UL
#define CANARY_FRAME   0x40310000UL
#define CANARY         0x9ddf1ce5f00dbeefUL
#define QUEUE_SIZE     16
#define FRAME_CAP      1548

static int fail(const char *why) {
    uart_puts("virtio-net-rx-stray: FAIL ");
    uart_puts(why);
    uart_puts("\n");
    return 1;
}

static int canary_intact(void) {
    volatile uint64_t *c = (volatile uint64_t *) CANARY_FRAME;
    for (int i = 0; i < 4096 / 8; i++) {
        if (c[i] != CANARY) {
            return 0;
        }
    }
    return 1;
}

int main(void) {
    uint64_t dev = virtio_find(1);
    if (dev == 0) {
        return fail("no modern virtio-mmio virtio-net device");
    }
    volatile uint64_t *canary = (volatile uint64_t *) CANARY_FRAME;
    for (int i = 0; i < 4096 / 8; i++) {
        canary[i] = CANARY;
    }
    volatile uint8_t *frame = (volatile uint8_t *) DMA_FRAME;
    for (int i = 0; i < 4096; i++) {
        frame[i] = 0;
    }
    const char *why = virtio_negotiate(dev, 1UL << 32); // VIRTIO_F_VERSION_1 only
    if (why) {
        return fail(why);
    }
    wr(dev, QUEUE_SEL, 0);
    if (rd(dev, QUEUE_NUM_MAX) < QUEUE_SIZE) {
        return fail("receive queue smaller than 16");
    }
    uint64_t desc = DMA_FRAME, avail = DMA_FRAME + 0x100, used = DMA_FRAME + 0x200;
    // The driver's mistake: the buffer it hands over is not in its DMA frames.
    volatile uint64_t *d = (volatile uint64_t *) desc;
    d[0] = CANARY_FRAME;                                     // addr
    *(volatile uint32_t *) (desc + 8) = FRAME_CAP;           // len
    *(volatile uint16_t *) (desc + 12) = DESC_F_WRITE;       // flags
    *(volatile uint16_t *) (desc + 14) = 0;                  // next
    *(volatile uint16_t *) (avail + 4) = 0;                  // ring[0] = descriptor 0
    *(volatile uint16_t *) (avail + 0) = 0;                  // flags
    __asm__ volatile("dsb sy");
    *(volatile uint16_t *) (avail + 2) = 1;                  // idx
    virtio_queue(dev, 0, QUEUE_SIZE, desc, avail, used);
    wr(dev, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    wr(dev, QUEUE_NOTIFY, 0);
    uart_puts("virtio-net-rx-stray: ready\n");

    uint64_t deadline = cntvct() + 10 * cntfrq();
    volatile uint16_t *used_idx = (volatile uint16_t *) (used + 2);
    while (*used_idx == 0 && (rd(dev, STATUS) & S_NEEDS_RESET) == 0) {
        if (cntvct() > deadline) {
            return fail("no frame arrived in 10 s");
        }
    }
    // A device that stops may set DEVICE_NEEDS_RESET just after it returns the buffer: settle.
    uint64_t settle = cntvct() + cntfrq() / 10;
    while (cntvct() < settle) {
    }
    __asm__ volatile("dsb sy");
    uart_puts("virtio-net-rx-stray: used=");
    uart_putdec(*used_idx);
    uart_puts(" len=");
    uart_putdec(*(volatile uint32_t *) (used + 4 + 4));
    uart_puts(" status=");
    uart_puthex(rd(dev, STATUS));
    uart_puts(canary_intact() ? " canary=intact\n" : " canary=overwritten\n");
    return 0;
}
