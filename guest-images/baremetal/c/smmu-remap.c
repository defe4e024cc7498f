// smmu-remap: a bare-metal guest that programs aarvark's SMMUv3 itself (run with --iommu smmuv3 and
// one virtio-net card) and checks what Linux never exercises: a device address that maps to a
// different physical page, a stale translation kept until the TLB invalidation, and the fault record
// of an access after it. Validated against Arm IHI 0070 (SMMUv3) and virtio 1.2; QEMU cannot run it
// (its virt board has no SMMU in front of virtio-mmio).
//
// Set-up (IHI 0070 §6.3, §5.2, §5.4; the steps Linux's arm-smmu-v3 takes): GBPA.ABORT is set at
// reset; a command queue (16 entries) and an event queue (8 entries); a linear stream table of 32
// STEs, the card's (stream = its slot number) with Config = stage-1 translate and one CD (ASID 1,
// 4 KB granule, 48-bit VA, TTB0 = four levels of tables here); CMD_CFGI_ALL, CMD_TLBI_NSNH_ALL,
// CMD_SYNC; then SMMUEN. The tables map IOVA 0x10000000 -> PA 0x40300000 (the rings) and
// IOVA 0x10001000 -> PA 0x40310000 (the transmit buffer). The card (VIRTIO_F_VERSION_1 and
// VIRTIO_F_ACCESS_PLATFORM) gets only IOVAs.
//
// 1. One frame is sent: the device reads it through IOVA 0x10001000 and writes the used ring
//    through IOVA 0x10000200; the used index is checked at PA 0x40300202.
// 2. The buffer's page is unmapped (its level-3 entry cleared) without a TLBI: the next frame
//    still goes out, through the stale translation, as on hardware.
// 3. CMD_TLBI_NH_VA (ASID 1, the page) and CMD_SYNC: the next frame's read faults. The chain comes
//    back with length 0, the device sets DEVICE_NEEDS_RESET, and the event queue holds one
//    F_TRANSLATION (0x10) record with the card's stream ID, input address 0x10001000 and RnW = 1.
// Each step prints one "smmu-remap: <step> ok" line; a mismatch prints
// "smmu-remap: FAIL <step>: <what>" and exits with the step's number; all good: "smmu-remap: PASS", 0.
#include "virtio-mmio.h"

const char guest_name[] = "smmu-remap";

#define SMMU            0x09050000UL
#define IDR0            0x00
#define CR0             0x20
#define CR0ACK          0x24
#define CR2             0x2c
#define GBPA            0x44
#define STRTAB_BASE     0x80
#define STRTAB_BASE_CFG 0x88
#define CMDQ_BASE       0x90
#define CMDQ_PROD       0x98
#define CMDQ_CONS       0x9c
#define EVENTQ_BASE     0xa0
#define EVENTQ_PROD     0x100a8
#define EVENTQ_CONS     0x100ac
#define CR0_SMMUEN      1
#define CR0_EVENTQEN    4
#define CR0_CMDQEN      8
#define GBPA_ABORT      (1u << 20)

#define CMD_CFGI_ALL    0x04        /* CMD_CFGI_STE_RANGE with Range = 31 */
#define CMD_TLBI_NH_VA  0x12
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_SYNC        0x46
#define F_TRANSLATION   0x10

#define RINGS_PA        0x40300000UL
#define BUF_PA          0x40310000UL
#define TABLES_PA       0x40320000UL    /* L0, L1, L2, L3: one 4 KB page each */
#define CD_PA           0x40330000UL
#define STRTAB_PA       0x40340000UL
#define CMDQ_PA         0x40350000UL
#define EVTQ_PA         0x40351000UL
#define RINGS_IOVA      0x10000000UL
#define BUF_IOVA        0x10001000UL
#define ASID            1
#define CMDQ_LOG2       4
#define EVTQ_LOG2       3
#define QUEUE_SIZE      16
#define FRAME_LEN       (12 + 60)
#define PTE_PAGE        (3UL | 1UL << 10 | 3UL << 8 | 1UL << 11)   /* page, AF, inner shareable, nG, AttrIndx 0 */

static volatile uint64_t *const L3 = (volatile uint64_t *) (TABLES_PA + 3 * 4096);
static uint32_t cmd_prod;

static inline uint32_t srd(uint64_t off) { return *(volatile uint32_t *) (SMMU + off); }
static inline void swr(uint64_t off, uint32_t v) { *(volatile uint32_t *) (SMMU + off) = v; }
static inline void swr64(uint64_t off, uint64_t v) { swr(off, (uint32_t) v); swr(off + 4, (uint32_t) (v >> 32)); }

static int fail(int step, const char *what) {
    uart_puts("smmu-remap: FAIL ");
    uart_putdec(step);
    uart_puts(": ");
    uart_puts(what);
    uart_puts("\n");
    return step;
}

static void ok(const char *step) {
    uart_puts("smmu-remap: ");
    uart_puts(step);
    uart_puts(" ok\n");
}

static void zero(uint64_t pa, uint64_t len) {
    for (uint64_t i = 0; i < len; i += 8) {
        *(volatile uint64_t *) (pa + i) = 0;
    }
}

/* Writes CR0 and waits for CR0ACK to match (IHI 0070 §6.3.9: the update is complete when they agree). */
static int set_cr0(uint32_t v) {
    swr(CR0, v);
    for (int i = 0; i < 1000000; i++) {
        if (srd(CR0ACK) == v) {
            return 0;
        }
    }
    return 1;
}

/* Queues one command and waits until CMDQ_CONS has passed it. Returns CMDQ_CONS.ERR. */
static uint32_t command(uint64_t d0, uint64_t d1) {
    volatile uint64_t *slot = (volatile uint64_t *) (CMDQ_PA + (cmd_prod & ((1u << CMDQ_LOG2) - 1)) * 16);
    slot[0] = d0;
    slot[1] = d1;
    dsb();
    cmd_prod = (cmd_prod + 1) & ((2u << CMDQ_LOG2) - 1);
    swr(CMDQ_PROD, cmd_prod);
    for (int i = 0; i < 1000000; i++) {
        uint32_t cons = srd(CMDQ_CONS);
        if ((cons & ((2u << CMDQ_LOG2) - 1)) == cmd_prod || ((cons >> 24) & 0x7f) != 0) {
            return (cons >> 24) & 0x7f;
        }
    }
    return 0x7f;
}

/* Puts descriptor 0 (the frame at BUF_IOVA) in the transmit queue once more and notifies. */
static void send(uint64_t dev, uint16_t n) {
    volatile uint16_t *avail = (volatile uint16_t *) (RINGS_PA + 0x100);
    avail[2 + ((n - 1) % QUEUE_SIZE)] = 0;
    dsb();
    avail[1] = n;
    dsb();
    wr(dev, QUEUE_NOTIFY, 1);
}

/* Waits up to 2 s for the used index to reach n or for DEVICE_NEEDS_RESET; returns the used index. */
static uint16_t wait_used(uint64_t dev, uint16_t n) {
    volatile uint16_t *used_idx = (volatile uint16_t *) (RINGS_PA + 0x200 + 2);
    uint64_t deadline = cntvct() + 2 * cntfrq();
    while (*used_idx != n && (rd(dev, STATUS) & S_NEEDS_RESET) == 0 && cntvct() < deadline) {
    }
    dsb();
    return *used_idx;
}

int main(void) {
    uint64_t dev = virtio_find(1);
    if (dev == 0) {
        return fail(1, "no modern virtio-mmio virtio-net device");
    }
    uint32_t sid = virtio_slot(dev);
    if ((srd(IDR0) & 2) == 0) {
        return fail(1, "no SMMU with stage 1 at 0x9050000 (run with --iommu smmuv3)");
    }
    if ((srd(GBPA) & GBPA_ABORT) == 0) {
        return fail(1, "GBPA.ABORT is not set at reset");
    }

    // Memory: rings, the frame, the tables, the queues.
    zero(RINGS_PA, 4096);
    zero(BUF_PA, 4096);
    zero(TABLES_PA, 4 * 4096);
    zero(CD_PA, 64);
    zero(STRTAB_PA, 32 * 64);
    zero(CMDQ_PA, 16 << CMDQ_LOG2);
    zero(EVTQ_PA, 32 << EVTQ_LOG2);
    volatile uint8_t *frame = (volatile uint8_t *) BUF_PA;
    for (int i = 12; i < 12 + 6; i++) {
        frame[i] = 0xff;                        // broadcast destination after the 12-byte header
    }
    const uint8_t src[8] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x88, 0xb5};   // our MAC, local EtherType
    for (int i = 0; i < 8; i++) {
        frame[18 + i] = src[i];
    }
    const char payload[] = "smmu-remap frame through IOVA 0x10001000";
    for (int i = 0; payload[i]; i++) {
        frame[26 + i] = (uint8_t) payload[i];
    }
    // Stage-1 tables (Arm ARM D5, 4 KB granule, start level 0): IOVA 0x1000_0000 is L0[0], L1[0], L2[0x80].
    volatile uint64_t *l0 = (volatile uint64_t *) TABLES_PA;
    volatile uint64_t *l1 = (volatile uint64_t *) (TABLES_PA + 4096);
    volatile uint64_t *l2 = (volatile uint64_t *) (TABLES_PA + 2 * 4096);
    l0[0] = (TABLES_PA + 4096) | 3;
    l1[0] = (TABLES_PA + 2 * 4096) | 3;
    l2[(RINGS_IOVA >> 21) & 0x1ff] = (TABLES_PA + 3 * 4096) | 3;
    L3[(RINGS_IOVA >> 12) & 0x1ff] = RINGS_PA | PTE_PAGE;
    L3[(BUF_IOVA >> 12) & 0x1ff] = BUF_PA | PTE_PAGE;
    // The CD (IHI 0070 §5.4): T0SZ 16, TG0 4 KB, IR0/OR0 write-back, SH0 inner, EPD1, V, IPS 48 bits,
    // AA64, R (record faults), A (abort), ASID; TTB0; MAIR attribute 0 = Normal write-back.
    volatile uint64_t *cd = (volatile uint64_t *) CD_PA;
    cd[0] = 16 | 1UL << 8 | 1UL << 10 | 3UL << 12 | 1UL << 30 | 1UL << 31 | 5UL << 32 | 1UL << 41
            | 1UL << 45 | 1UL << 46 | (uint64_t) ASID << 48;
    cd[1] = TABLES_PA;
    cd[3] = 0xff;
    // The card's STE (IHI 0070 §5.2): V, Config = stage 1 translate, S1ContextPtr; every other STE is invalid.
    volatile uint64_t *ste = (volatile uint64_t *) (STRTAB_PA + sid * 64);
    ste[0] = 1 | 5UL << 1 | CD_PA;
    dsb();

    // The SMMU: queues, stream table, invalidate what it may hold, then enable.
    swr64(CMDQ_BASE, CMDQ_PA | CMDQ_LOG2);
    swr(CMDQ_PROD, 0);
    swr(CMDQ_CONS, 0);
    swr64(EVENTQ_BASE, EVTQ_PA | EVTQ_LOG2);
    swr(EVENTQ_PROD, 0);
    swr(EVENTQ_CONS, 0);
    swr64(STRTAB_BASE, STRTAB_PA);
    swr(STRTAB_BASE_CFG, 5);                    // linear, 2^5 STEs
    swr(CR2, 2);                                // RECINVSID
    if (set_cr0(CR0_CMDQEN | CR0_EVENTQEN)) {
        return fail(1, "CR0ACK did not follow CR0");
    }
    if (command(CMD_CFGI_ALL, 31) || command(CMD_TLBI_NSNH_ALL, 0) || command(CMD_SYNC, 0)) {
        return fail(1, "a set-up command failed");
    }
    if (set_cr0(CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN)) {
        return fail(1, "SMMUEN not acknowledged");
    }
    ok("smmu set-up");

    // The card, given IOVAs only.
    const char *why = virtio_negotiate(dev, 3UL << 32);      // VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM
    if (why) {
        return fail(1, why);
    }
    volatile uint64_t *desc = (volatile uint64_t *) RINGS_PA;
    desc[0] = BUF_IOVA;
    *(volatile uint32_t *) (RINGS_PA + 8) = FRAME_LEN;
    *(volatile uint16_t *) (RINGS_PA + 12) = 0;
    virtio_queue(dev, 1, QUEUE_SIZE, RINGS_IOVA, RINGS_IOVA + 0x100, RINGS_IOVA + 0x200);
    wr(dev, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);

    // 1. Through the remapped pages.
    send(dev, 1);
    if (wait_used(dev, 1) != 1) {
        return fail(2, "the frame was not sent: no used entry at PA 0x40300202");
    }
    if (*(volatile uint32_t *) (RINGS_PA + 0x200 + 4) != 0) {
        return fail(2, "the used entry does not name descriptor 0");
    }
    if (srd(EVENTQ_PROD) != srd(EVENTQ_CONS)) {
        return fail(2, "an event was recorded");
    }
    ok("remapped dma");

    // 2. Unmapped, no TLBI yet: the stale translation is still used.
    L3[(BUF_IOVA >> 12) & 0x1ff] = 0;
    dsb();
    send(dev, 2);
    if (wait_used(dev, 2) != 2) {
        return fail(3, "the frame after the unmap was not sent (the TLB entry should still be used)");
    }
    ok("stale translation until tlbi");

    // 3. After CMD_TLBI_NH_VA + CMD_SYNC the read faults.
    if (command(CMD_TLBI_NH_VA | (uint64_t) ASID << 48, BUF_IOVA) || command(CMD_SYNC, 0)) {
        return fail(4, "TLBI or SYNC failed");
    }
    send(dev, 3);
    uint16_t used = wait_used(dev, 3);
    uint64_t settle = cntvct() + cntfrq() / 10;
    while (cntvct() < settle) {
    }
    if ((rd(dev, STATUS) & S_NEEDS_RESET) == 0) {
        return fail(4, "DEVICE_NEEDS_RESET is not set after the faulting read");
    }
    if (used == 3 && *(volatile uint32_t *) (RINGS_PA + 0x200 + 4 + 2 * 8 + 4) != 0) {
        return fail(4, "the faulted chain came back with a length");
    }
    uint32_t prod = srd(EVENTQ_PROD), cons = srd(EVENTQ_CONS);
    if (((prod - cons) & ((2u << EVTQ_LOG2) - 1)) != 1) {
        return fail(4, "not exactly one event in the event queue");
    }
    volatile uint64_t *ev = (volatile uint64_t *) (EVTQ_PA + (cons & ((1u << EVTQ_LOG2) - 1)) * 32);
    if ((ev[0] & 0xff) != F_TRANSLATION) {
        return fail(4, "the event is not F_TRANSLATION");
    }
    if ((ev[0] >> 32) != sid) {
        return fail(4, "the event's StreamID is not the card's slot");
    }
    if (ev[2] != BUF_IOVA) {
        return fail(4, "the event's input address is not 0x10001000");
    }
    if (((ev[1] >> 35) & 1) != 1) {
        return fail(4, "the event is not a read (RnW = 0)");
    }
    swr(EVENTQ_CONS, (cons + 1) & ((2u << EVTQ_LOG2) - 1));
    uart_puts("smmu-remap: F_TRANSLATION stream ");
    uart_putdec(sid);
    uart_puts(" read of ");
    uart_puthex(ev[2]);
    uart_puts("\n");
    ok("fault record after tlbi");
    uart_puts("smmu-remap: PASS\n");
    return 0;
}
