/*
 * aarvark's native pre-filter for libunicorn's SYS-instruction hook (UC_HOOK_INSN,
 * UC_ARM64_INS_SYS). libunicorn calls a SYS hook for every SYS instruction the guest executes;
 * Linux runs about a million per boot (DC ZVA in clear_page, DC CVAU, TLBI) while aarvark only
 * serves the instruction-cache maintenance ones (IC IVAU, IC IALLU, IC IALLUIS; Arm ARM C5.3).
 * A Java upcall costs ~50 ns more than this C test, so the test runs here and only the IC
 * instructions reach Java: the hook's user data is the Java upcall stub, with the same signature.
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

uint32_t aarvark_ic_filter(void *uc, int reg, const uc_arm64_cp_reg *cp, void *user_data)
{
    if (cp->op0 != 1 || cp->crn != 7) {
        return 0;
    }
    int ivau = cp->op1 == 3 && cp->crm == 5 && cp->op2 == 1;
    int iallu = cp->op1 == 0 && cp->crm == 5 && cp->op2 == 0;
    int iallu_is = cp->op1 == 0 && cp->crm == 1 && cp->op2 == 0;
    if (!(ivau || iallu || iallu_is)) {
        return 0;
    }
    return ((sys_hook) user_data)(uc, reg, cp, user_data);
}
