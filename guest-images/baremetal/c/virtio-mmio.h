// Shared by the C guests: the virtio-mmio register map (virtio 1.2 §4.2.2), device status bits
// (§2.1), the modern initialisation steps (§3.1.1, §4.2.3.1) and the counter-timer (Arm ARM D11).
#ifndef AARVARK_VIRTIO_MMIO_H
#define AARVARK_VIRTIO_MMIO_H
#include <stdint.h>

void uart_puts(const char *s);
void uart_puthex(uint64_t v);
void uart_putdec(uint64_t v);

#define MMIO_BASE      0x0a000000UL
#define MMIO_STRIDE    0x200UL
#define MMIO_SLOTS     32
#define MAGIC          0x000
#define VERSION        0x004
#define DEVICE_ID      0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
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

#define DESC_F_WRITE   2

static inline uint32_t rd(uint64_t dev, uint64_t off) { return *(volatile uint32_t *)(dev + off); }
static inline void wr(uint64_t dev, uint64_t off, uint32_t v) { *(volatile uint32_t *)(dev + off) = v; }
static inline uint64_t cntvct(void) { uint64_t v; __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)); return v; }
static inline uint64_t cntfrq(void) { uint64_t v; __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v)); return v; }
static inline void dsb(void) { __asm__ volatile("dsb sy" ::: "memory"); }

/* The highest slot holding a modern device with {@code id}, or 0. */
static inline uint64_t virtio_find(uint32_t id) {
    for (int i = MMIO_SLOTS - 1; i >= 0; i--) {
        uint64_t dev = MMIO_BASE + MMIO_STRIDE * (uint64_t) i;
        if (rd(dev, MAGIC) == 0x74726976 && rd(dev, VERSION) == 2 && rd(dev, DEVICE_ID) == id) {
            return dev;
        }
    }
    return 0;
}

/* The slot number of a device found by virtio_find (its SMMU stream ID on aarvark). */
static inline uint32_t virtio_slot(uint64_t dev) {
    return (uint32_t) ((dev - MMIO_BASE) / MMIO_STRIDE);
}

/*
 * Reset, ACKNOWLEDGE, DRIVER, accept {@code features} (which must all be offered), FEATURES_OK read
 * back. Returns 0, or a reason.
 */
static inline const char *virtio_negotiate(uint64_t dev, uint64_t features) {
    wr(dev, STATUS, 0);
    wr(dev, STATUS, S_ACKNOWLEDGE);
    wr(dev, STATUS, S_ACKNOWLEDGE | S_DRIVER);
    wr(dev, DEVICE_FEATURES_SEL, 0);
    uint64_t offered = rd(dev, DEVICE_FEATURES);
    wr(dev, DEVICE_FEATURES_SEL, 1);
    offered |= (uint64_t) rd(dev, DEVICE_FEATURES) << 32;
    if ((offered & features) != features) {
        return "a needed feature is not offered";
    }
    wr(dev, DRIVER_FEATURES_SEL, 0);
    wr(dev, DRIVER_FEATURES, (uint32_t) features);
    wr(dev, DRIVER_FEATURES_SEL, 1);
    wr(dev, DRIVER_FEATURES, (uint32_t) (features >> 32));
    wr(dev, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    if ((rd(dev, STATUS) & S_FEATURES_OK) == 0) {
        return "FEATURES_OK refused";
    }
    return 0;
}

/* Queue {@code q} of {@code size} entries at the given (device) addresses, then QueueReady. */
static inline void virtio_queue(uint64_t dev, uint32_t q, uint32_t size, uint64_t desc, uint64_t avail, uint64_t used) {
    wr(dev, QUEUE_SEL, q);
    wr(dev, QUEUE_NUM, size);
    wr(dev, QUEUE_DESC_LOW, (uint32_t) desc);
    wr(dev, QUEUE_DESC_HIGH, (uint32_t) (desc >> 32));
    wr(dev, QUEUE_DRIVER_LOW, (uint32_t) avail);
    wr(dev, QUEUE_DRIVER_HIGH, (uint32_t) (avail >> 32));
    wr(dev, QUEUE_DEVICE_LOW, (uint32_t) used);
    wr(dev, QUEUE_DEVICE_HIGH, (uint32_t) (used >> 32));
    wr(dev, QUEUE_READY, 1);
}
#endif
