/*
 * FP/SIMD access traps for the pinned libunicorn 2.1.1 build (docs/libunicorn.md, "No FP/SIMD
 * access traps").
 *
 * QEMU decides at translation time whether an FP/SIMD instruction traps: the cached translation
 * flags carry FPEXC_EL, the exception level an FP access traps to, computed by
 * fp_exception_el(env, el) from CPACR_EL1.FPEN, CPTR_EL2.TFP and CPTR_EL3.TFP (Arm ARM D1.11.x,
 * "Traps to EL1/EL2/EL3 of FP and SIMD instructions"). Unicorn replaces that function with
 * "return 0", so FP never traps. Its callers (the hflags rebuilds after an MSR, an exception
 * entry or return, and any CP_REG write) reach it through the library's PLT, so this file points
 * the library's GOT entry for fp_exception_el_aarch64 at an implementation of the architecture's
 * rule, and the translated code then raises QEMU's FP-access UDEF (EC 0x07) itself, which
 * libunicorn hands to aarvark's interrupt hook like any other UNDEFINED instruction.
 *
 * The layout (the GOT slot, the CPUARMState field offsets) is the pinned build's, read from its
 * machine code (sve_exception_el_aarch64 reads the same fields); Java passes it in and calls this
 * only for that build, and the installer checks the stub and the GOT slot before writing.
 *
 * Built on the machine by scripts/setup-native.sh; no binary is committed.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    void *stub;                 /* fp_exception_el_aarch64: the "return 0" Unicorn left */
    void **got_slot;            /* the library's GOT entry its callers jump through */
    uint64_t (*hcr_el2_eff)(const void *env);   /* arm_hcr_el2_eff_aarch64 */
    int64_t cpacr_el1;          /* offsets in CPUARMState */
    int64_t cptr_el2;
    int64_t cptr_el3;
    int64_t scr_el3;
    int64_t features;
    int64_t feature_el3_bit;
} aarvark_fp_layout_t;

static aarvark_fp_layout_t layout;

#define HCR_TGE (1ull << 27)
#define HCR_E2H (1ull << 34)
#define SCR_NS  1ull
#define CPTR_TFP (1ull << 10)

static uint64_t field(const void *env, int64_t offset)
{
    uint64_t v;
    memcpy(&v, (const char *) env + offset, sizeof v);
    return v;
}

/*
 * The exception level an FP/SIMD access at cur_el traps to, or 0 if it does not trap: QEMU's
 * fp_exception_el for an AArch64 A-profile CPU whose EL3, if present, is AArch64.
 */
static int aarvark_fp_exception_el(const void *env, int cur_el)
{
    uint64_t hcr = layout.hcr_el2_eff(env);
    int has_el3 = (field(env, layout.features) >> layout.feature_el3_bit) & 1;
    int secure_below_el3 = has_el3 && !(field(env, layout.scr_el3) & SCR_NS);

    /* CPACR_EL1.FPEN, unless {E2H, TGE} = {1, 1} (then EL0 is EL2&0's). */
    if (cur_el <= 1 && (hcr & (HCR_E2H | HCR_TGE)) != (HCR_E2H | HCR_TGE)) {
        switch ((field(env, layout.cpacr_el1) >> 20) & 3) {
        case 0:
        case 2:
            return 1;               /* EL0 and EL1 trap */
        case 1:
            if (cur_el == 0) {
                return 1;           /* EL0 traps */
            }
            break;
        default:
            break;                  /* 0b11: no trap */
        }
    }
    /* CPTR_EL2.TFP: FP at EL2 and Non-secure EL1/EL0 traps to EL2. */
    if (cur_el <= 2 && (field(env, layout.cptr_el2) & CPTR_TFP) && !secure_below_el3) {
        return 2;
    }
    /* CPTR_EL3.TFP: every FP access traps to EL3. */
    if (field(env, layout.cptr_el3) & CPTR_TFP) {
        return 3;
    }
    return 0;
}

/* The pinned build's fp_exception_el_aarch64: endbr64; xor %eax,%eax; ret. */
static const unsigned char STUB[] = {0xf3, 0x0f, 0x1e, 0xfa, 0x31, 0xc0, 0xc3};

/*
 * Installs the implementation above. Returns 0 on success (or if already installed), 1 if the
 * stub is not the expected code, 2 if the GOT slot does not point at it, 3 if the slot's page
 * cannot be made writable.
 */
int aarvark_fp_traps_install(const aarvark_fp_layout_t *l)
{
    if (*l->got_slot == (void *) aarvark_fp_exception_el) {
        return 0;
    }
    if (memcmp(l->stub, STUB, sizeof STUB) != 0) {
        return 1;
    }
    if (*l->got_slot != l->stub) {
        return 2;
    }
    layout = *l;
    long page = sysconf(_SC_PAGESIZE);
    void *start = (void *) ((uintptr_t) l->got_slot & ~(uintptr_t) (page - 1));
    size_t len = ((uintptr_t) (l->got_slot + 1) - (uintptr_t) start + page - 1) & ~(uintptr_t) (page - 1);
    if (mprotect(start, len, PROT_READ | PROT_WRITE) != 0) {
        return 3;
    }
    __atomic_store_n(l->got_slot, (void *) aarvark_fp_exception_el, __ATOMIC_SEQ_CST);
    mprotect(start, len, PROT_READ);
    return 0;
}
