/*
 * aarvark's native pre-filter for libunicorn's system-instruction hooks (UC_HOOK_INSN with
 * UC_ARM64_INS_MRS, _MSR or _SYS). libunicorn calls such a hook for every instruction of its kind
 * the guest executes: a Linux boot runs about 2.6 million MRS (most of them `mrs xN, sp_el0`, the
 * kernel's `current`), 130 thousand MSR and a million SYS (DC ZVA in clear_page, DC CVAU, TLBI),
 * while aarvark emulates only a few registers and instructions. A Java upcall costs far more than
 * this C test, so the test runs here: only the instructions whose key is in the filter's `pass`
 * set reach Java, and the ones in its `count` set are counted (aarvark uses the count of TLBI
 * instructions and of writes to translation-control registers to know when a cached translation
 * may be stale).
 *
 * The key is aarvark's SysReg.key: op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2 (16 bits).
 * The hook's user data is the aarvark_sys_filter below, written by Java (cpu.unicorn.SysInsnFilter)
 * before the hook is installed; only the vCPU thread updates `counted`.
 *
 * Built on the machine by scripts/setup-native.sh (cc -O2 -shared -fPIC); no binary is committed.
 * The struct is libunicorn 2.1's uc_arm64_cp_reg (unicorn/arm64.h): crn, crm, op0, op1, op2, val.
 */
#include <stdint.h>

typedef struct {
    uint32_t crn, crm, op0, op1, op2;
    uint64_t val;
} uc_arm64_cp_reg;

typedef uint32_t (*sys_hook)(void *uc, int reg, const uc_arm64_cp_reg *cp, void *user_data);

typedef struct {
    sys_hook upcall;        /* the Java upcall stub, with this function's signature */
    uint64_t counted;       /* instructions seen whose key is in `count` */
    uint64_t pass[1024];    /* bit (key & 63) of word (key >> 6): the key reaches Java */
    uint64_t count[1024];   /* bit (key & 63) of word (key >> 6): the key is counted */
} aarvark_sys_filter_t;

uint32_t aarvark_sys_filter(void *uc, int reg, const uc_arm64_cp_reg *cp, void *user_data)
{
    aarvark_sys_filter_t *f = user_data;
    uint32_t key = ((cp->op0 & 3) << 14) | ((cp->op1 & 7) << 11) | ((cp->crn & 15) << 7)
            | ((cp->crm & 15) << 3) | (cp->op2 & 7);
    uint64_t bit = 1ull << (key & 63);
    if (f->count[key >> 6] & bit) {
        f->counted++;
    }
    if (f->pass[key >> 6] & bit) {
        return f->upcall(uc, reg, cp, user_data);
    }
    return 0;
}
