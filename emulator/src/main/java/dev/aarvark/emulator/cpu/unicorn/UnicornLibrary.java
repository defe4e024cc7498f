package dev.aarvark.emulator.cpu.unicorn;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The loaded libunicorn shared object and the downcall handles aarvark binds (Java FFM API).
 *
 * <p>Where the library comes from, in order: the environment variable {@code AARVARK_UNICORN_LIB}
 * (a user's own build), the system property {@code aarvark.unicorn.lib}, then
 * {@code <root>/.cache/unicorn/lib/libunicorn.so.2} where {@code <root>} is the system property
 * {@code aarvark.root} or the nearest parent of the working directory holding {@code .cache/unicorn}.
 *
 * <p>Invariants: the library's {@code uc_version()} is at least 2.1 (2.0.x cannot walk TTBR1 or
 * change exception level; see docs/libunicorn.md); {@link #isPinnedBuild()} is true only for the
 * exact Debian build whose private layout aarvark knows (the {@code no_exit_request} byte), and
 * never when the user chose the library through {@code AARVARK_UNICORN_LIB}.
 */
public final class UnicornLibrary {
    /** SHA-256 of libunicorn.so.2 from Debian trixie's libunicorn2t64 2.1.1-2+b2 (amd64). */
    public static final String PINNED_SO_SHA256 =
            "e5f940db31964dcc0f93ee0ab3ee50f06ef393b7aff9171218c22defb02cb580";
    /** Offset of {@code uc_struct.no_exit_request} in the pinned build (see the findings). */
    public static final long PINNED_NO_EXIT_REQUEST_OFFSET = 0x7da;

    /** aarvark's native helpers (emulator/src/main/c), built next to the pinned library. */
    static final String NATIVE_HELPERS = "libaarvark-native.so";
    /**
     * The pinned build's layout for the FP-access traps (read from its machine code; see
     * fp-access-traps.c): the GOT slot of {@code fp_exception_el_aarch64} from the function's own
     * address, and the CPUARMState offsets of cp15.cpacr_el1, cp15.cptr_el[2], cp15.cptr_el[3],
     * cp15.scr_el3 and features, whose bit 33 is ARM_FEATURE_EL3.
     */
    static final long PINNED_FP_GOT_SLOT_FROM_STUB = 0xd24270;
    static final long PINNED_ENV_CPACR_EL1 = 0x2c0;
    static final long PINNED_ENV_CPTR_EL2 = 0x2d8;
    static final long PINNED_ENV_CPTR_EL3 = 0x2e0;
    static final long PINNED_ENV_SCR_EL3 = 0x3c0;
    static final long PINNED_ENV_FEATURES = 0x3030;
    static final long PINNED_FEATURE_EL3_BIT = 33;

    private static volatile UnicornLibrary instance;

    private final Path path;
    private final boolean pinned;
    private final int version;

    final MethodHandle ucVersion;
    final MethodHandle ucOpen;
    final MethodHandle ucClose;
    final MethodHandle ucStrerror;
    final MethodHandle ucCtl1;
    final MethodHandle ucCtl2;
    final MethodHandle ucRegRead;
    final MethodHandle ucRegWrite;
    final MethodHandle ucRegReadBatch;
    final MethodHandle ucMemMapPtr;
    final MethodHandle ucMemUnmap;
    final MethodHandle ucMemRead;
    final MethodHandle ucMemWrite;
    final MethodHandle ucMmioMap;
    final MethodHandle ucHookAdd;
    final MethodHandle ucHookAddInsn;
    final MethodHandle ucHookDel;
    final MethodHandle ucEmuStart;
    final MethodHandle ucEmuStop;
    /** Pinned build only (else null): {@code ram_addr_t qemu_ram_addr_from_host_aarch64(uc, void *host)}. */
    final MethodHandle ramAddrFromHost;
    /** Pinned build only (else null): {@code void tb_invalidate_phys_range_aarch64(uc, ram_addr_t, ram_addr_t)}. */
    final MethodHandle tbInvalidatePhysRange;
    /**
     * Pinned build only, when scripts/setup-native.sh has built it (else null): the native
     * pre-filter {@code aarvark_sys_filter} of the MRS/MSR/SYS hooks ({@link SysInsnFilter}).
     */
    final MemorySegment sysFilter;
    /** Null once FP/SIMD access traps are installed, else why not. */
    private final String fpAccessTraps;

    private UnicornLibrary(Path path, boolean userChosen) {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnicornException("libunicorn: cannot load " + path + ": " + e.getMessage(), e);
        }
        Linker.Option critical = Linker.Option.critical(false);
        ucVersion = bind(linker, lib, "uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ucOpen = bind(linker, lib, "uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        ucClose = bind(linker, lib, "uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        ucStrerror = bind(linker, lib, "uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        ucCtl1 = bind(linker, lib, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        ucCtl2 = bind(linker, lib, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
        ucRegRead = bind(linker, lib, "uc_reg_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        ucRegWrite = bind(linker, lib, "uc_reg_write",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        ucRegReadBatch = bind(linker, lib, "uc_reg_read_batch",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
        ucMemMapPtr = bind(linker, lib, "uc_mem_map_ptr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        ucMemUnmap = bind(linker, lib, "uc_mem_unmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        ucMemRead = bind(linker, lib, "uc_mem_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        ucMemWrite = bind(linker, lib, "uc_mem_write",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        ucMmioMap = bind(linker, lib, "uc_mmio_map", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        ucHookAdd = bind(linker, lib, "uc_hook_add", FunctionDescriptor.of(JAVA_INT,
                        ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(7));
        ucHookAddInsn = bind(linker, lib, "uc_hook_add", FunctionDescriptor.of(JAVA_INT,
                        ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT),
                Linker.Option.firstVariadicArg(7));
        ucHookDel = bind(linker, lib, "uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        ucEmuStart = bind(linker, lib, "uc_emu_start",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        ucEmuStop = bind(linker, lib, "uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));

        try {
            version = (int) ucVersion.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new UnicornException("libunicorn: uc_version() failed in " + path, t);
        }
        int major = (version >>> 24) & 0xff;
        int minor = (version >>> 16) & 0xff;
        if (major < 2 || (major == 2 && minor < 1)) {
            throw new UnicornException(UnicornException.NOT_A_UC_ERR, "libunicorn: " + path + " is version "
                    + versionString() + "; aarvark needs 2.1 or newer (2.0.x cannot walk TTBR1 page tables "
                    + "or change exception level)");
        }
        this.pinned = !userChosen && PINNED_SO_SHA256.equals(cachedSha256(path));
        // Two internal functions of the pinned build, whose signatures are known for exactly that
        // build: the physical-address translation invalidation QEMU's own store path uses.
        this.ramAddrFromHost = pinned ? bind(linker, lib, "qemu_ram_addr_from_host_aarch64",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS)) : null;
        this.tbInvalidatePhysRange = pinned ? bind(linker, lib, "tb_invalidate_phys_range_aarch64",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG)) : null;
        Path nativePath = path.resolveSibling(NATIVE_HELPERS);
        SymbolLookup helpers = pinned && Files.isRegularFile(nativePath)
                ? SymbolLookup.libraryLookup(nativePath, Arena.global()) : null;
        this.sysFilter = helpers == null ? null : helpers.find("aarvark_sys_filter").orElse(null);
        this.fpAccessTraps = !pinned ? "it is not the pinned build, the only one whose layout aarvark knows"
                : helpers == null ? "the native helpers " + nativePath + " are missing (scripts/setup-native.sh builds them)"
                : installFpAccessTraps(linker, lib, helpers);
    }

    /**
     * Points the pinned build's {@code fp_exception_el_aarch64} (Unicorn's "return 0") at the
     * native helpers' implementation of the architecture's rule (emulator/src/main/c/fp-access-traps.c).
     * Returns null when installed, else why not.
     */
    private static String installFpAccessTraps(Linker linker, SymbolLookup lib, SymbolLookup helpers) {
        MemorySegment install = helpers.find("aarvark_fp_traps_install").orElse(null);
        MemorySegment stub = lib.find("fp_exception_el_aarch64").orElse(null);
        MemorySegment hcr = lib.find("arm_hcr_el2_eff_aarch64").orElse(null);
        if (install == null || stub == null || hcr == null) {
            return "a symbol is missing (aarvark_fp_traps_install, fp_exception_el_aarch64 or arm_hcr_el2_eff_aarch64)";
        }
        MemorySegment layout = Arena.global().allocate(9 * 8L, 8);
        layout.setAtIndex(ADDRESS, 0, stub);
        layout.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(stub.address() + PINNED_FP_GOT_SLOT_FROM_STUB));
        layout.setAtIndex(ADDRESS, 2, hcr);
        long[] fields = {PINNED_ENV_CPACR_EL1, PINNED_ENV_CPTR_EL2, PINNED_ENV_CPTR_EL3, PINNED_ENV_SCR_EL3,
                PINNED_ENV_FEATURES, PINNED_FEATURE_EL3_BIT};
        for (int i = 0; i < fields.length; i++) {
            layout.setAtIndex(JAVA_LONG, 3 + i, fields[i]);
        }
        try {
            int rc = (int) linker.downcallHandle(install, FunctionDescriptor.of(JAVA_INT, ADDRESS)).invokeExact(layout);
            return switch (rc) {
                case 0 -> null;
                case 1 -> "fp_exception_el_aarch64 is not the expected stub";
                case 2 -> "the GOT slot of fp_exception_el_aarch64 is not where the pinned build has it";
                case 3 -> "the GOT page could not be made writable";
                default -> "aarvark_fp_traps_install returned " + rc;
            };
        } catch (Throwable t) {
            return "aarvark_fp_traps_install failed: " + t;
        }
    }

    /**
     * Null if FP/SIMD accesses trap as CPACR_EL1.FPEN, CPTR_EL2.TFP and CPTR_EL3.TFP say (the
     * pinned build with the native helpers); otherwise why they never trap (docs/libunicorn.md).
     */
    public String fpAccessTrapsMissing() {
        return fpAccessTraps;
    }

    private static MethodHandle bind(Linker linker, SymbolLookup lib, String name, FunctionDescriptor fd,
                                     Linker.Option... options) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new UnicornException(UnicornException.NOT_A_UC_ERR,
                "libunicorn: symbol " + name + " is missing from the library"));
        return linker.downcallHandle(sym, fd, options);
    }

    /** The process-wide library, loaded on first use from the location described above. */
    public static UnicornLibrary get() {
        UnicornLibrary lib = instance;
        if (lib == null) {
            synchronized (UnicornLibrary.class) {
                lib = instance;
                if (lib == null) {
                    String env = System.getenv("AARVARK_UNICORN_LIB");
                    Path p = locate(env);
                    lib = new UnicornLibrary(p, env != null && !env.isBlank());
                    instance = lib;
                }
            }
        }
        return lib;
    }

    static Path locate(String env) {
        if (env != null && !env.isBlank()) {
            return checkedFile(Path.of(env), "AARVARK_UNICORN_LIB");
        }
        String prop = System.getProperty("aarvark.unicorn.lib");
        if (prop != null && !prop.isBlank()) {
            return checkedFile(Path.of(prop), "aarvark.unicorn.lib");
        }
        Path rel = Path.of(".cache", "unicorn", "lib", "libunicorn.so.2");
        String root = System.getProperty("aarvark.root");
        if (root != null && !root.isBlank() && Files.isRegularFile(Path.of(root).resolve(rel))) {
            return Path.of(root).resolve(rel).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(rel))) {
                return dir.resolve(rel).toAbsolutePath();
            }
        }
        throw new UnicornException(UnicornException.NOT_A_UC_ERR, "libunicorn: not found (looked for "
                + rel + " under the aarvark root and the working directory's parents); run 'make setup' "
                + "or set AARVARK_UNICORN_LIB");
    }

    private static Path checkedFile(Path p, String what) {
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new UnicornException(UnicornException.NOT_A_UC_ERR,
                    "libunicorn: " + what + " points at " + p + ", which is not a readable file");
        }
        return p.toAbsolutePath();
    }

    /**
     * The file's SHA-256, remembered in a sidecar file ({@code <lib>.sha256}) keyed by the file's
     * size and modification time, so start-up does not hash 20 MB every time. Any change to the
     * library changes the key and the hash is computed again.
     */
    private static String cachedSha256(Path p) {
        Path sidecar = p.resolveSibling(p.getFileName() + ".sha256");
        String key;
        try {
            key = Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return sha256(p);
        }
        try {
            String[] cached = Files.readString(sidecar).trim().split(" ");
            if (cached.length == 3 && (cached[0] + " " + cached[1]).equals(key)) {
                return cached[2];
            }
        } catch (IOException e) {
            // No usable cache: compute below.
        }
        String sha = sha256(p);
        try {
            Files.writeString(sidecar, key + " " + sha + "\n");
        } catch (IOException e) {
            // A read-only location: hash again next time.
        }
        return sha;
    }

    private static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "";
        }
    }

    /** The file the library was loaded from. */
    public Path path() {
        return path;
    }

    /** True for the exact pinned Debian build (checked by SHA-256), not chosen through the environment. */
    public boolean isPinnedBuild() {
        return pinned;
    }

    /** {@code uc_version()}'s combined value, e.g. 0x020101ff for 2.1.1. */
    public int version() {
        return version;
    }

    /** "major.minor.patch" of the loaded library. */
    public String versionString() {
        return ((version >>> 24) & 0xff) + "." + ((version >>> 16) & 0xff) + "." + ((version >>> 8) & 0xff);
    }

    /** {@code uc_strerror(code)}. */
    public String strerror(int code) {
        try {
            MemorySegment s = (MemorySegment) ucStrerror.invokeExact(code);
            return s.equals(MemorySegment.NULL) ? "unknown error " + code : s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "unknown error " + code;
        }
    }
}
