import CKernels

/// What the C kernels chose at run time, for benchmarks and bug reports.
public enum KernelInfo {
    /// The instruction set of the quantised kernels ("avx512", "avx2" or "generic").
    public static var isa: String { String(cString: ck_isa()) }
}
