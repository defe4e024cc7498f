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
#include <stdint.h>

/* The prefix lib/report.S prints (GUEST_NAME in the assembly guests). */
const char guest_name[] = "virtio-net-rx-stray";

void uart_puts(const char *s);
void uart_puthex(uint64_t v);
void uart_putdec(uint64_t v);

#define MMIO_BASE      0x0a000000UL
#define MMIO_STRIDE    0x200UL
#define MMIO_SLOTS     32
#define MAGIC          0x000
#define VERSION        0x004
#define DEVICE_ID      0x008
#define DEVICE_FEATURES_SEL 0x014
#define DEVICE_FEATURES 0x010
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define QUEUE_SEL      0x030
#define QUEUE_NUM_MAX  0x034
#define QUEUE_NUM      0x038
#define QUEUE_READY    0x044
#define QUEUE_NOTIFY   0x050
#define STATUS         0x070
#define QUEUE_DESC_LOW 0x080
#define QUEUE_DESC_HIGH 0x084
#define QUEUE_DRIVER_LOW 0x090
#define QUEUE_DRIVER_HIGH 0x094
#define QUEUE_DEVICE_LOW 0x0a0
#define QUEUE_DEVICE_HIGH 0x0a4

#define S_ACKNOWLEDGE  1
#define S_DRIVER       2
#define S_DRIVER_OK    4
#define S_FEATURES_OK  8
#define S_NEEDS_RESET  0x40

#define DMA_FRAME      0x40300000UL
#define CANARY_FRAME   0x40310000UL
#define CANARY         0x9ddf1ce5f00dbeefUL
#define QUEUE_SIZE     16
#define FRAME_CAP      1548
#define DESC_F_WRITE   2

static inline uint32_t rd(uint64_t dev, uint64_t off) { return *(volatile uint32_t *)(dev + off); }
static inline void wr(uint64_t dev, uint64_t off, uint32_t v) { *(volatile uint32_t *)(dev + off) = v; }
static inline uint64_t cntvct(void) { uint64_t v; __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)); return v; }
static inline uint64_t cntfrq(void) { uint64_t v; __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v)); return v; }

static int fail(const char *why) {
    uart_puts("virtio-net-rx-stray: FAIL ");
    uart_puts(why);
    uart_puts("\n");
    return 1;
}

static uint64_t find_net(void) {
    for (int i = MMIO_SLOTS - 1; i >= 0; i--) {
        uint64_t dev = MMIO_BASE + MMIO_STRIDE * (uint64_t) i;
        if (rd(dev, MAGIC) == 0x74726976 && rd(dev, VERSION) == 2 && rd(dev, DEVICE_ID) == 1) {
            return dev;
        }
    }
    return 0;
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
    uint64_t dev = find_net();
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
    wr(dev, STATUS, 0);
    wr(dev, STATUS, S_ACKNOWLEDGE);
    wr(dev, STATUS, S_ACKNOWLEDGE | S_DRIVER);
    wr(dev, DEVICE_FEATURES_SEL, 1);
    if ((rd(dev, DEVICE_FEATURES) & 1) == 0) {
        return fail("VIRTIO_F_VERSION_1 not offered");
    }
    wr(dev, DRIVER_FEATURES_SEL, 0);
    wr(dev, DRIVER_FEATURES, 0);
    wr(dev, DRIVER_FEATURES_SEL, 1);
    wr(dev, DRIVER_FEATURES, 1); // VIRTIO_F_VERSION_1 (bit 32)
    wr(dev, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    if ((rd(dev, STATUS) & S_FEATURES_OK) == 0) {
        return fail("FEATURES_OK refused");
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
    wr(dev, QUEUE_NUM, QUEUE_SIZE);
    wr(dev, QUEUE_DESC_LOW, (uint32_t) desc);
    wr(dev, QUEUE_DESC_HIGH, (uint32_t) (desc >> 32));
    wr(dev, QUEUE_DRIVER_LOW, (uint32_t) avail);
    wr(dev, QUEUE_DRIVER_HIGH, (uint32_t) (avail >> 32));
    wr(dev, QUEUE_DEVICE_LOW, (uint32_t) used);
    wr(dev, QUEUE_DEVICE_HIGH, (uint32_t) (used >> 32));
    wr(dev, QUEUE_READY, 1);
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
