#!/usr/bin/env python3
"""A bit-level NumPy emulation of llama.cpp's CPU decode step for LLaMA-family GGUF models.

scripts/numpy_reference.py computes the exact forward pass. llama.cpp does not: it quantises the
activations before every quantised matrix product, keeps the KV cache in float16, converts the
query and the attention probabilities to float16, and uses its own exp approximation and
summation orders. On SmolLM2-135M Q4_1 that puts llama.cpp ~3.5e-3 (mean KL) away from exact
arithmetic, and because quantising activations is discontinuous (a 1-ulp change can flip an int8
code) the only way to track it closely is to repeat its float32 arithmetic operation for
operation. This file does that for one token per llama_decode call (n_tokens = 1), which is the
path llama.cpp takes when generating; the recipe it follows is written out in RECIPE below, each
step naming the ggml source it was read from (llama-cpp-python 0.3.16's vendored llama.cpp,
built with GCC 12 -march=native on an AVX-512 machine: AVX512F/BW/VNNI, FMA, F16C).

Scope: arch `llama`, matrices Q4_1 (activations Q8_1) or Q8_0 (activations Q8_0), float32 norm
weights, no biases, no RoPE scaling, flash attention off, KV cache float16 (default) or float32.
Other quantisation types take other kernels (Q4_0 is repacked to 8x8 interleaved blocks on
AVX2 machines, K-quants use Q8_K) and are refused with a clear error.

Usage:
    python scripts/llamacpp_emulation.py MODEL.gguf --tokens 504,1000,30 [--kv f16|f32]
        prints the top logits after each token;
    add --check to run llama-cpp-python on the same tokens (one token per decode, one thread,
        flash attention off, same KV type) and print max |logit diff| and KL per position.
As a library:
    emu = LlamaCppEmulation("model.gguf", n_ctx=256, kv_type="f16")
    logits = emu.decode(token)          # next position; emu.reset() starts a new sequence

Needs numpy and the `gguf` package (file reader only). libm's powf and sincosf are called through
ctypes because llama.cpp calls them (glibc's results are not always correctly rounded).
"""

import argparse
import ctypes
import ctypes.util
import sys

import numpy as np
import gguf

QT = gguf.GGMLQuantizationType

RECIPE = """
llama.cpp CPU decode step (n_tokens = 1, one llama_decode per token), as emulated here.
f32(.) = round to float32, f16(.) = round to float16 (nearest-even; F16C vcvtps2ph imm 0),
fma(a,b,c) = a*b+c rounded once. Sources: ggml/src/ggml-cpu/... and src/... of llama.cpp.

 1. Embedding: get_rows on Q8_0 token_embd -> x = f16->f32(d) * q (exact).
    [ops.cpp ggml_compute_forward_get_rows_q, dequantize_row_q8_0]
 2. RMSNorm: acc(double) += (double)f32(x_i*x_i), sequentially i = 0..n-1;
    mean = f32(acc / n) (double division); scale = f32(1.0f / sqrtf(f32(mean + eps)));
    y_i = f32(x_i * scale); then ggml_mul: y_i = f32(y_i * w_i).
    [ops.cpp ggml_compute_forward_rms_norm_f32; vec.h ggml_vec_scale_f32; llama-graph.cpp build_norm]
 3. Matrix x vector for 1 token: llamafile tinyBLAS is NOT used (llamafile_sgemm returns false for
    n < 2) and no REPACK exists for Q4_1/Q8_0, so ggml_compute_forward_mul_mat quantises the
    activation row with type_traits_cpu[W].from_float and calls vec_dot per output row.
    [ggml-cpu.c ggml_compute_forward_mul_mat; llamafile/sgemm.cpp llamafile_sgemm;
     repack.cpp ggml_repack_get_optimal_repack_type]
 4. Activation quantisation, AVX path (Q8_1 for Q4_1 weights, Q8_0 for Q8_0 weights), per 32-block:
    amax = max|x|; d = f32(amax / 127.f); id = amax != 0 ? f32(127.f / amax) : 0;
    q = round-half-even(f32(x * id)) (vroundps _MM_ROUND_NEAREST, then cvtps2dq, saturating packs);
    stored d16 = f16(d); Q8_1 only: s16 = f16(f32(d * (float)sum(q))) using the float32 d, not d16.
    [arch/x86/quants.c quantize_row_q8_1, quantize_row_q8_0]
 5. Q4_1 x Q8_1 dot (AVX2 path, VNNI): 8 float32 lanes acc[0..7] = 0, float summs = 0; per block:
    d0d1 = f32(f16(dw) * f16(dx)); summs = fma(f16(mw), f16(sx), summs)  (GCC contracts it);
    lane l: xy_l = (float) sum_{j=4l..4l+3} qw_j*qx_j (vpdpbusd, exact int);
    acc_l = fma(d0d1, xy_l, acc_l) (vfmadd231ps);
    result = f32(hsum8(acc) + summs), hsum8 = ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)).
    Element j of a block: nibble j&15 of byte j (j<16) / high nibble of byte j-16.
    [arch/x86/quants.c ggml_vec_dot_q4_1_q8_1, mul_sum_us8_pairs_float, hsum_float_8]
 6. Q8_0 x Q8_0 dot (output head): same lanes, acc_l = fma(f32(f16(dw)*f16(dx)), xy_l, acc_l),
    result = hsum8(acc). [arch/x86/quants.c ggml_vec_dot_q8_0_q8_0, mul_sum_i8_pairs_float]
 7. RoPE (mode 0, adjacent pairs), per position p: theta_scale = powf(freq_base, -2.0f/n_dims);
    theta_0 = (float)p, theta_{i+1} = f32(theta_i * theta_scale) (running product, not powf);
    (sin, cos) = sincosf(theta_i) (libm; times mscale = 1.0f, freq_scale = 1, ext_factor = 0);
    out0 = fma(x0, cos, -f32(x1*sin)); out1 = fma(x0, sin, f32(x1*cos)), i.e. the first product of
    each source expression fused (GCC-vectorised vfmaddsub231ps loop, checked against llama.cpp's
    Qcur tensors; it runs because RoPE's dst does not overlap its src here; the scalar fallback
    for overlapping buffers is unfused: f32(x0*cos) - f32(x1*sin), f32(x0*sin) + f32(x1*cos)).
    [ops.cpp ggml_compute_forward_rope_flt, ggml_rope_cache_init, rope_yarn; disassembly]
 8. KV cache: K (after RoPE) and V rows converted to f16 by set_rows; V cache is transposed
    (v_trans = !flash_attn). Buffer is zeroed at creation.
    [src/llama-kv-cache-unified.cpp cpy_k, cpy_v, get_k, get_v]
 9. n_kv = min(kv_size, max(32, roundup(used_cells, 32))) (padding 32 without flash attention);
    kq_mask is F32: 0 for visible cells, -INF for cells beyond the current position.
    [llama-kv-cache-unified.cpp get_n_kv, get_padding, set_input_kq_mask]
10. KQ = mul_mat(K_view f16, Q f32): Q row converted to f16 (vec_dot_type of F16 is F16), head h
    uses KV head h / (n_head / n_head_kv). ggml_vec_dot_f16 (AVX-512: STEP 64, 4 x 16 lanes):
    for each full 64-chunk: sum[k][l] = fma(x, y, sum[k][l]) for element 64c+16k+l; reduce:
    s0 += s2, s1 += s3, s0 += s1 (lane-wise), then _mm512_reduce_add_ps (halving tree: 8, 4, 2, 1)
    into a double; leftovers (n mod 64): double += (double)f32(x_i*y_i) sequentially; result f32.
    [ggml-cpu.c ggml_compute_forward_mul_mat; vec.cpp ggml_vec_dot_f16; simd-mappings.h
     GGML_F32Cx16_REDUCE]
11. Softmax (ggml_soft_max_ext, scale = 1/sqrt(head_dim) = f32, max_bias 0):
    w = f32(kq * scale) + mask; max; per 16-chunk: e = ggml_v_expf(f32(w - max)),
    sum(double) += (double)_mm512_reduce_add_ps(e); inv = (float)(1.0 / sum); p = f32(e * inv).
    ggml_v_expf (AVX-512): z = fma(x, 0x1.715476p+0, 0x1.8p23); n = z - 0x1.8p23;
    b = fma(-n, 0x1.7f7d1cp-20, fma(-n, 0x1.62e4p-1, x)); u = b*b;
    j = fma(fma(fma(0x1.0e4020p-7, b, 0x1.573e2ep-5), u, fma(0x1.555e66p-3, b, 0x1.fffdb6p-2)), u,
            fma(0x1.ffffecp-1, b, 1)); res = scalef(j, n) = j * 2^n;
    where |n| > 192: res = (n <= 0) ? 0 : +inf.
    [ops.cpp ggml_compute_forward_soft_max_f32; vec.cpp ggml_vec_soft_max_f32; vec.h ggml_v_expf]
12. KQV = mul_mat(V^T view f16 [n_kv], P f32 -> f16): ggml_vec_dot_f16 over n_kv as in 10
    (n_kv = 32 -> all "leftovers": a sequential double sum). Heads concatenated (head-major).
    [llama-graph.cpp build_attn_mha: kq, soft_max_ext, kqv, permute + cont_2d]
13. attn_out = Wo * kqv (step 3-5); residual ffn_inp = f32(attn_out + x).
14. FFN: h = RMSNorm(ffn_inp) * ffn_norm; g = Wgate h; u = Wup h;
    swiglu: f32(f32(g / f32(1 + ggml_v_expf(f32(0 - g)))) * u) (ggml_v_silu; _mm512_div_ps);
    out = Wdown * swiglu; x = f32(out + ffn_inp).
    [llama-graph.cpp build_ffn (ggml_swiglu_split); vec.cpp ggml_vec_swiglu_f32; vec.h ggml_v_silu]
15. Output: RMSNorm(x) * output_norm, logits = token_embd(Q8_0) * Q8_0(activation) (steps 4, 6).
F32 KV cache instead (type_k = type_v = 0): no f16 rounding of K, V, Q or P; KQ and KQV use
    ggml_vec_dot_f32, whose accumulator is a float: fma lanes over 64-chunks reduced as in 10 and
    rounded to float, then leftovers added in order in float, products unfused (vmulps) except the
    last n % 8, which are fused (vfmadd231ss). [vec.cpp ggml_vec_dot_f32; disassembly]
Threads do not matter: every output element is one vec_dot call and every norm/softmax one row.
Not covered: batched prompt decoding (n_tokens >= 2), where llamafile tinyBLAS takes the Q8_0 and
F16 products (and the KQ/KQV shapes change). Its logits differ from one-token decoding: on 20
positions of english-prose, batched vs one-at-a-time gave max |diff| 0.95, mean KL 2.2e-3.
Sensitivity (20 positions of the english-prose prompt): replacing any single item above by
plain arithmetic (float64 block sums, roundf/1-over-d quantisation, exact exp, float64 RoPE
angles, no f16 rounding of Q/P, float64 f16 dots) moves the logits by up to ~1 and the mean KL to
2.4e-3 .. 4.9e-3, because one flipped int8 activation code propagates through 30 layers. So
matching llama.cpp to KL < 2e-3 requires following every item bit for bit. The one exception
seen: which RoPE product is fused rarely matters with an F16 KV cache (Q and K are rounded to
f16 right after), and unfused RoPE gave identical logits there.
"""


class EmulationError(Exception):
    """A problem with the model file or the input, worth one clear line."""


F32 = np.float32
F64 = np.float64


# --------------------------------------------------------------------------------------------
# Float primitives
# --------------------------------------------------------------------------------------------

def f16r(x):
    """Rounds float32 values to float16 (nearest-even, like vcvtps2ph imm 0) and back to float32."""
    return np.asarray(x, dtype=F32).astype(np.float16).astype(F32)


def fma32(a, b, c):
    """float32 fused multiply-add, a*b+c rounded once, for arrays (broadcasting).

    The product of two float32 values is exact in float64, so the float64 sum has a single
    rounding; rounding that to float32 is then correct except where it lands exactly halfway
    between two float32 values (low 29 mantissa bits 1000...0) after having lost a remainder.
    Those few candidates (and anything in float32's subnormal range) are settled with TwoSum.
    """
    a = np.asarray(a, dtype=F32)
    b = np.asarray(b, dtype=F32)
    c = np.asarray(c, dtype=F32)
    p = a.astype(F64) * b.astype(F64)
    cd = np.broadcast_to(c.astype(F64), p.shape) if p.shape != c.shape else c.astype(F64)
    p = np.broadcast_to(p, cd.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        s = p + cd
        out = s.astype(F32)
        bits = np.ascontiguousarray(s).view(np.uint64)
        cand = ((bits & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000)) | (np.abs(s) < 2.0 ** -125)
        if cand.any():
            idx = np.nonzero(cand)
            ps, cs, ss = p[idx], cd[idx], s[idx]
            bp = ss - cs
            err = (ps - bp) + (cs - (ss - bp))
            r = ss.astype(F32)
            diff = ss - r.astype(F64)
            other = np.nextafter(r, np.where(diff > 0, F32(np.inf), F32(-np.inf)).astype(F32))
            tie = (diff != 0) & np.isfinite(ss) & ((r.astype(F64) + other.astype(F64)) * 0.5 == ss)
            # at a tie the float64 sum lost err: the exact value lies past the midpoint
            # (towards `other`) when err has the sign of diff
            fix = tie & (err != 0) & (np.sign(err) == np.sign(diff))
            out = np.array(out, dtype=F32)
            out[idx] = np.where(fix, other, r)
    return out.astype(F32, copy=False)


def hsum8(lanes):
    """hsum_float_8 on the last axis of length 8: ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7))."""
    a = lanes
    r = (a[..., 4:8] + a[..., 0:4]).astype(F32)
    t = (r[..., 0:2] + r[..., 2:4]).astype(F32)
    return (t[..., 0] + t[..., 1]).astype(F32)


def reduce_add_512(lanes):
    """_mm512_reduce_add_ps on the last axis of length 16 (GCC: halves 8, 4, 2, then 1)."""
    a = lanes.astype(F32)
    for half in (8, 4, 2, 1):
        a = (a[..., :half] + a[..., half:2 * half]).astype(F32)
    return a[..., 0]


def v_expf(x):
    """ggml_v_expf, the AVX-512 exp approximation (vec.h), on float32 arrays."""
    x = np.asarray(x, dtype=F32)
    r = F32(12582912.0)                      # 0x1.8p23
    with np.errstate(invalid="ignore", over="ignore"):
        z = fma32(x, F32(1.44269502162933349609375), r)             # 0x1.715476p+0
        n = (z - r).astype(F32)
        b = fma32(-n, F32(float.fromhex("0x1.7f7d1cp-20")),
                  fma32(-n, F32(float.fromhex("0x1.62e4p-1")), x))
        u = (b * b).astype(F32)
        j = fma32(
            fma32(fma32(F32(float.fromhex("0x1.0e4020p-7")), b, F32(float.fromhex("0x1.573e2ep-5"))),
                  u,
                  fma32(F32(float.fromhex("0x1.555e66p-3")), b, F32(float.fromhex("0x1.fffdb6p-2")))),
            u,
            fma32(F32(float.fromhex("0x1.ffffecp-1")), b, F32(1.0)))
        big = np.abs(n) > F32(192)
        nn = np.where(big | ~np.isfinite(n), F32(0), n).astype(np.int32)
        res = np.ldexp(j, nn).astype(F32)
        alt = np.where(n <= 0, F32(0), F32(np.inf)).astype(F32)
        return np.where(big, alt, res).astype(F32)


class _Libm:
    """glibc's powf and sincosf, which llama.cpp's RoPE calls."""

    def __init__(self):
        name = ctypes.util.find_library("m") or "libm.so.6"
        try:
            lib = ctypes.CDLL(name)
            self.powf = lib.powf
            self.powf.restype = ctypes.c_float
            self.powf.argtypes = [ctypes.c_float, ctypes.c_float]
            self.sincosf = lib.sincosf
            self.sincosf.restype = None
            self.sincosf.argtypes = [ctypes.c_float, ctypes.POINTER(ctypes.c_float),
                                     ctypes.POINTER(ctypes.c_float)]
            self.available = True
        except (OSError, AttributeError):
            self.available = False

    def pow(self, x, y):
        if self.available:
            return F32(self.powf(F32(x), F32(y)))
        return F32(np.float64(F32(x)) ** np.float64(F32(y)))

    def sin_cos(self, theta):
        if self.available:
            s, c = ctypes.c_float(), ctypes.c_float()
            self.sincosf(F32(theta), ctypes.byref(s), ctypes.byref(c))
            return F32(s.value), F32(c.value)
        t = np.float64(F32(theta))
        return F32(np.sin(t)), F32(np.cos(t))


LIBM = _Libm()


# --------------------------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------------------------

def rms_norm(x, eps):
    """ggml_compute_forward_rms_norm_f32 on one float32 row."""
    x = np.asarray(x, dtype=F32)
    sq = (x * x).astype(F32).astype(F64)
    acc = np.cumsum(sq)[-1]                  # sequential double accumulation
    mean = F32(acc / F64(x.size))
    scale = F32(F32(1.0) / np.sqrt(F32(mean + F32(eps)), dtype=F32))
    return (x * scale).astype(F32)


def quantize_row_q8(x, with_sum):
    """quantize_row_q8_1 / quantize_row_q8_0 (AVX path): returns (d16, q[int32], s16 or None)."""
    xb = np.asarray(x, dtype=F32).reshape(-1, 32)
    amax = np.abs(xb).max(axis=1).astype(F32)
    d = (amax / F32(127.0)).astype(F32)
    with np.errstate(divide="ignore"):
        inv = np.where(amax != 0, (F32(127.0) / amax).astype(F32), F32(0)).astype(F32)
    q = np.rint((xb * inv[:, None]).astype(F32)).astype(np.int32)
    q = np.clip(q, -128, 127)
    d16 = f16r(d)
    s16 = f16r((d * q.sum(axis=1).astype(F32)).astype(F32)) if with_sum else None
    return d16, q, s16


class QuantMatrix:
    """A Q4_1 or Q8_0 weight matrix (rows = outputs) with its ggml vec_dot for one activation row."""

    def __init__(self, tensor):
        self.name = tensor.name
        self.type = tensor.tensor_type
        self.cols = int(tensor.shape[0])
        self.rows = int(tensor.shape[1]) if len(tensor.shape) > 1 else 1
        if self.cols % 32:
            raise EmulationError(f"tensor {self.name}: row length {self.cols} is not whole 32-blocks")
        nb = self.cols // 32
        raw = np.ascontiguousarray(tensor.data).reshape(-1).view(np.uint8)
        if self.type == QT.Q4_1:
            b = raw.reshape(self.rows, nb, 20)
            self.d = np.ascontiguousarray(b[:, :, 0:2]).view("<f2")[..., 0].astype(F32)
            self.m = np.ascontiguousarray(b[:, :, 2:4]).view("<f2")[..., 0].astype(F32)
            qs = b[:, :, 4:20]
            self.q = np.concatenate([qs & 15, qs >> 4], axis=2).astype(np.int16)
        elif self.type == QT.Q8_0:
            b = raw.reshape(self.rows, nb, 34)
            self.d = np.ascontiguousarray(b[:, :, 0:2]).view("<f2")[..., 0].astype(F32)
            self.m = None
            self.q = np.ascontiguousarray(b[:, :, 2:34]).view(np.int8).astype(np.int16)
        else:
            raise EmulationError(
                f"tensor {self.name}: type {QT(self.type).name} is not emulated (only Q4_1 and Q8_0)")

    def row_f32(self, i):
        """Dequantised row i (get_rows, dequantize_row_q8_0): d * q, exact in float32."""
        if self.type != QT.Q8_0:
            raise EmulationError(f"tensor {self.name}: get_rows is only emulated for Q8_0 embeddings")
        return (self.d[i][:, None] * self.q[i].astype(F32)).reshape(-1).astype(F32)

    def matvec(self, x):
        """ggml_compute_forward_mul_mat for one float32 activation row -> float32 [rows]."""
        x = np.asarray(x, dtype=F32)
        if x.size != self.cols:
            raise EmulationError(f"tensor {self.name}: activation has {x.size} values, expected {self.cols}")
        d16, qx, s16 = quantize_row_q8(x, with_sum=self.m is not None)
        nb = self.cols // 32
        # 8 int32 lanes per block, lane l = sum of products 4l..4l+3 (vpdpbusd)
        lanes = np.einsum("rgk,gk->rg", self.q.reshape(self.rows, nb * 8, 4),
                          qx.reshape(nb * 8, 4).astype(np.int16), dtype=np.int32, casting="unsafe")
        lanes = lanes.reshape(self.rows, nb, 8).astype(F32)
        acc = np.zeros((self.rows, 8), dtype=F32)
        summs = np.zeros(self.rows, dtype=F32)
        for ib in range(nb):
            d0d1 = (self.d[:, ib] * d16[ib]).astype(F32)
            if self.m is not None:
                summs = fma32(self.m[:, ib], s16[ib], summs)
            acc = fma32(d0d1[:, None], lanes[:, ib, :], acc)
        out = hsum8(acc)
        if self.m is not None:
            out = (out + summs).astype(F32)
        return out


def vec_dot_f16(x16, y16):
    """ggml_vec_dot_f16 (AVX-512) of float16-valued float32 arrays along the last axis."""
    n = x16.shape[-1]
    np_ = n & ~63
    lead = np.broadcast_shapes(x16.shape[:-1], y16.shape[:-1])
    sums = np.zeros(lead + (4, 16), dtype=F32)
    for i in range(0, np_, 64):
        xs = np.broadcast_to(x16[..., i:i + 64], lead + (64,)).reshape(lead + (4, 16))
        ys = np.broadcast_to(y16[..., i:i + 64], lead + (64,)).reshape(lead + (4, 16))
        sums = fma32(xs, ys, sums)
    s0 = (sums[..., 0, :] + sums[..., 2, :]).astype(F32)
    s1 = (sums[..., 1, :] + sums[..., 3, :]).astype(F32)
    s0 = (s0 + s1).astype(F32)
    acc = reduce_add_512(s0).astype(F64)
    if np_ < n:
        tail = (x16[..., np_:] * y16[..., np_:]).astype(F32).astype(F64)
        tail = np.broadcast_to(tail, lead + (n - np_,))
        acc = np.cumsum(np.concatenate([acc[..., None], tail], axis=-1), axis=-1)[..., -1]
    return acc.astype(F32)


def soft_max_row(kq, mask, scale):
    """ggml_compute_forward_soft_max_f32 for rows [..., n] (n a multiple of 16)."""
    w = (kq.astype(F32) * F32(scale)).astype(F32)
    w = (w + mask).astype(F32)
    mx = w.max(axis=-1, keepdims=True)
    e = v_expf((w - mx).astype(F32))
    n = w.shape[-1]
    if n % 16:
        raise EmulationError(f"softmax row of {n} values is not whole 16-lane chunks")
    chunks = reduce_add_512(e.reshape(e.shape[:-1] + (n // 16, 16))).astype(F64)
    total = np.cumsum(chunks, axis=-1)[..., -1]
    inv = (1.0 / total).astype(F32)
    return (e * inv[..., None]).astype(F32)


def silu_mul(g, u):
    """ggml_vec_swiglu_f32 (AVX-512): f32(x / f32(1 + v_expf(0 - x))) * u."""
    g = np.asarray(g, dtype=F32)
    e = v_expf((F32(0) - g).astype(F32))
    silu = (g / (F32(1) + e).astype(F32)).astype(F32)
    return (silu * np.asarray(u, dtype=F32)).astype(F32)


def rope_cache(pos, n_dims, freq_base):
    """ggml_rope_cache_init for one position: (cos, sin) per pair, float32."""
    theta_scale = LIBM.pow(freq_base, F32(-2.0) / F32(n_dims))
    theta = F32(pos)
    cos = np.empty(n_dims // 2, dtype=F32)
    sin = np.empty(n_dims // 2, dtype=F32)
    for i in range(n_dims // 2):
        sin[i], cos[i] = LIBM.sin_cos(theta)
        theta = F32(theta * theta_scale)
    return cos, sin


def rope_adjacent(x, cos, sin):
    """RoPE mode 0 (pairs 2i, 2i+1) on [heads, head_dim] as GCC compiled it (vfmaddsub231ps)."""
    x0 = x[:, 0::2]
    x1 = x[:, 1::2]
    out = np.empty_like(x)
    out[:, 0::2] = fma32(x0, cos, -(x1 * sin).astype(F32))
    out[:, 1::2] = fma32(x0, sin, (x1 * cos).astype(F32))
    return out


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------

def _field(reader, key):
    field = reader.get_field(key)
    return None if field is None else field.contents()


class LlamaCppEmulation:
    """Decodes one token at a time exactly as llama.cpp's CPU backend does (see RECIPE)."""

    def __init__(self, path, n_ctx=256, kv_type="f16"):
        try:
            reader = gguf.GGUFReader(path)
        except (OSError, ValueError) as exc:
            raise EmulationError(f"{path}: cannot read GGUF ({exc})") from exc
        arch = _field(reader, "general.architecture")
        if arch != "llama":
            raise EmulationError(f"{path}: architecture {arch!r} is not emulated (only 'llama')")

        def get(key, default=None):
            value = _field(reader, f"llama.{key}")
            if value is None:
                if default is None:
                    raise EmulationError(f"{path}: missing metadata llama.{key}")
                return default
            return value

        if get("rope.scaling.type", "none") not in ("none", ""):
            raise EmulationError(f"{path}: RoPE scaling is not emulated")
        self.n_layer = int(get("block_count"))
        self.n_embd = int(get("embedding_length"))
        self.n_head = int(get("attention.head_count"))
        self.n_head_kv = int(get("attention.head_count_kv", self.n_head))
        self.head_dim = self.n_embd // self.n_head
        self.n_rot = int(get("rope.dimension_count", self.head_dim))
        self.eps = F32(get("attention.layer_norm_rms_epsilon"))
        self.freq_base = F32(get("rope.freq_base", 10000.0))
        if self.n_rot != self.head_dim:
            raise EmulationError(f"{path}: partial RoPE ({self.n_rot} of {self.head_dim}) is not emulated")
        if kv_type not in ("f16", "f32"):
            raise EmulationError(f"kv_type {kv_type!r} is not 'f16' or 'f32'")
        self.kv_f16 = kv_type == "f16"
        # llama.cpp pads the context to 256 and n_kv to 32 (flash attention off)
        self.n_ctx = -(-int(n_ctx) // 256) * 256
        tensors = {t.name: t for t in reader.tensors}

        def tensor(name):
            if name not in tensors:
                raise EmulationError(f"{path}: missing tensor {name}")
            return tensors[name]

        def norm(name):
            t = tensor(name)
            if t.tensor_type != QT.F32:
                raise EmulationError(f"tensor {name}: norm weight type {QT(t.tensor_type).name} is not F32")
            return np.asarray(t.data, dtype=F32).reshape(-1)

        for name in tensors:
            if name.endswith(".bias"):
                raise EmulationError(f"{path}: bias tensor {name} is not emulated")
        self.tok_embd = QuantMatrix(tensor("token_embd.weight"))
        self.output = QuantMatrix(tensors["output.weight"]) if "output.weight" in tensors else self.tok_embd
        self.output_norm = norm("output_norm.weight")
        self.layers = []
        for il in range(self.n_layer):
            p = f"blk.{il}."
            self.layers.append(dict(
                attn_norm=norm(p + "attn_norm.weight"),
                wq=QuantMatrix(tensor(p + "attn_q.weight")),
                wk=QuantMatrix(tensor(p + "attn_k.weight")),
                wv=QuantMatrix(tensor(p + "attn_v.weight")),
                wo=QuantMatrix(tensor(p + "attn_output.weight")),
                ffn_norm=norm(p + "ffn_norm.weight"),
                gate=QuantMatrix(tensor(p + "ffn_gate.weight")),
                up=QuantMatrix(tensor(p + "ffn_up.weight")),
                down=QuantMatrix(tensor(p + "ffn_down.weight")),
            ))
        self.n_vocab = self.output.rows
        self.kq_scale = F32(F32(1.0) / np.sqrt(F32(self.head_dim), dtype=F32))
        self.reset()

    def reset(self):
        """Empties the KV cache (a fresh sequence at position 0)."""
        kv = self.n_head_kv * self.head_dim
        # K cache rows per cell; V cache transposed: [layer, channel, cell]
        self.k_cache = np.zeros((self.n_layer, self.n_ctx, kv), dtype=F32)
        self.v_cache = np.zeros((self.n_layer, kv, self.n_ctx), dtype=F32)
        self.pos = 0
        self.trace = {}

    def _store(self, values):
        return f16r(values) if self.kv_f16 else values.astype(F32)

    def _attention(self, il, q, k, v, pos):
        hd, nh, nkv = self.head_dim, self.n_head, self.n_head_kv
        self.k_cache[il, pos] = self._store(k.reshape(-1))
        self.v_cache[il, :, pos] = self._store(v.reshape(-1))
        n_kv = min(self.n_ctx, max(32, -(-(pos + 1) // 32) * 32))
        mask = np.where(np.arange(n_kv) <= pos, F32(0), F32(-np.inf)).astype(F32)
        group = nh // nkv
        kv_head = np.arange(nh) // group
        keys = self.k_cache[il, :n_kv].reshape(n_kv, nkv, hd).transpose(1, 0, 2)[kv_head]  # [nh, n_kv, hd]
        values = self.v_cache[il, :, :n_kv].reshape(nkv, hd, n_kv)[kv_head]                # [nh, hd, n_kv]
        if self.kv_f16:
            qh = f16r(q)                                                   # src1 -> f16
            kq = vec_dot_f16(keys, qh[:, None, :])                         # [nh, n_kv]
            probs = soft_max_row(kq, mask, self.kq_scale)
            out = vec_dot_f16(values, f16r(probs)[:, None, :])             # [nh, hd]
        else:
            kq = vec_dot_f32(keys, q[:, None, :])
            probs = soft_max_row(kq, mask, self.kq_scale)
            out = vec_dot_f32(values, probs[:, None, :])
        return out.reshape(-1).astype(F32)

    def decode(self, token):
        """Runs one llama_decode of `token` at the next position and returns float32 logits."""
        if not 0 <= int(token) < self.tok_embd.rows:
            raise EmulationError(f"token {token} is outside the vocabulary of {self.tok_embd.rows}")
        pos = self.pos
        if pos >= self.n_ctx:
            raise EmulationError(f"position {pos} is beyond the context of {self.n_ctx}")
        cos, sin = rope_cache(pos, self.n_rot, self.freq_base)
        x = self.tok_embd.row_f32(int(token))
        for il, L in enumerate(self.layers):
            h = (rms_norm(x, self.eps) * L["attn_norm"]).astype(F32)
            q = L["wq"].matvec(h).reshape(self.n_head, self.head_dim)
            k = L["wk"].matvec(h).reshape(self.n_head_kv, self.head_dim)
            v = L["wv"].matvec(h)
            q = rope_adjacent(q, cos, sin)
            k = rope_adjacent(k, cos, sin)
            att = self._attention(il, q, k, v, pos)
            ffn_inp = (L["wo"].matvec(att) + x).astype(F32)
            h = (rms_norm(ffn_inp, self.eps) * L["ffn_norm"]).astype(F32)
            act = silu_mul(L["gate"].matvec(h), L["up"].matvec(h))
            x = (L["down"].matvec(act) + ffn_inp).astype(F32)
        h = (rms_norm(x, self.eps) * self.output_norm).astype(F32)
        self.trace = dict(result_norm=h)
        self.pos += 1
        return self.output.matvec(h)


def vec_dot_f32(x, y):
    """ggml_vec_dot_f32 (AVX-512) along the last axis, used with an F32 KV cache.

    Unlike the F16 dot its accumulator is a float: 4 x 16 fma lanes over whole 64-chunks,
    reduced as in vec_dot_f16 and rounded to float; then the leftovers are added one by one in
    float. GCC vectorised the leftover products in groups of 16 and 8 (unfused vmulps, then
    in-order vaddss) and fused only the last n % 8 (vfmadd231ss).
    """
    n = x.shape[-1]
    np_ = n & ~63
    lead = np.broadcast_shapes(x.shape[:-1], y.shape[:-1])
    sums = np.zeros(lead + (4, 16), dtype=F32)
    for i in range(0, np_, 64):
        xs = np.broadcast_to(x[..., i:i + 64], lead + (64,)).reshape(lead + (4, 16))
        ys = np.broadcast_to(y[..., i:i + 64], lead + (64,)).reshape(lead + (4, 16))
        sums = fma32(xs, ys, sums)
    s0 = (sums[..., 0, :] + sums[..., 2, :]).astype(F32)
    s1 = (sums[..., 1, :] + sums[..., 3, :]).astype(F32)
    s0 = (s0 + s1).astype(F32)
    acc = reduce_add_512(s0)
    xb = np.broadcast_to(x, lead + (n,))
    yb = np.broadcast_to(y, lead + (n,))
    unfused_end = np_ + ((n - np_) & ~7)
    for i in range(np_, n):
        if i < unfused_end:
            acc = (acc + (xb[..., i] * yb[..., i]).astype(F32)).astype(F32)
        else:
            acc = fma32(xb[..., i], yb[..., i], acc)
    return acc.astype(F32)


# --------------------------------------------------------------------------------------------
# Comparison with llama-cpp-python (optional)
# --------------------------------------------------------------------------------------------

_QUIET_LOG = None


def llamacpp_logits(path, tokens, n_ctx, kv_type):
    """Logits from llama-cpp-python, one token per llama_decode, one thread, flash attention off."""
    import llama_cpp as L
    global _QUIET_LOG
    _QUIET_LOG = L.llama_log_callback(lambda level, text, data: None)  # kept alive while in use
    L.llama_log_set(_QUIET_LOG, None)
    L.llama_backend_init()
    model = L.llama_model_load_from_file(path.encode(), L.llama_model_default_params())
    if not model:
        raise EmulationError(f"{path}: llama.cpp could not load the model")
    cp = L.llama_context_default_params()
    cp.n_ctx = n_ctx
    cp.n_threads = 1
    cp.n_threads_batch = 1
    cp.flash_attn = False
    cp.type_k = cp.type_v = (1 if kv_type == "f16" else 0)
    ctx = L.llama_init_from_model(model, cp)
    n_vocab = L.llama_vocab_n_tokens(L.llama_model_get_vocab(model))
    rows = []
    batch = L.llama_batch_init(1, 0, 1)
    try:
        for pos, tok in enumerate(tokens):
            batch.n_tokens = 1
            batch.token[0] = tok
            batch.pos[0] = pos
            batch.n_seq_id[0] = 1
            batch.seq_id[0][0] = 0
            batch.logits[0] = True
            if L.llama_decode(ctx, batch) != 0:
                raise EmulationError(f"llama_decode failed at position {pos}")
            rows.append(np.ctypeslib.as_array(L.llama_get_logits_ith(ctx, 0), shape=(n_vocab,)).copy())
    finally:
        L.llama_batch_free(batch)
        L.llama_free(ctx)
        L.llama_model_free(model)
    return np.stack(rows)


def kl_divergence(p_logits, q_logits):
    """KL(softmax(p) || softmax(q)) in float64."""
    p = np.asarray(p_logits, dtype=F64)
    q = np.asarray(q_logits, dtype=F64)
    lp = p - p.max() - np.log(np.exp(p - p.max()).sum())
    lq = q - q.max() - np.log(np.exp(q - q.max()).sum())
    return float((np.exp(lp) * (lp - lq)).sum())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--tokens", required=True, help="comma-separated token ids")
    ap.add_argument("--kv", choices=("f16", "f32"), default="f16")
    ap.add_argument("--n-ctx", type=int, default=256)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--check", action="store_true", help="compare with llama-cpp-python")
    ap.add_argument("--recipe", action="store_true", help="print the emulated recipe and exit")
    args = ap.parse_args(argv)
    if args.recipe:
        print(RECIPE)
        return 0
    try:
        tokens = [int(t) for t in args.tokens.split(",") if t.strip()]
    except ValueError:
        print(f"error: --tokens {args.tokens!r} is not a comma-separated list of integers", file=sys.stderr)
        return 2
    try:
        emu = LlamaCppEmulation(args.model, n_ctx=args.n_ctx, kv_type=args.kv)
        ours = np.stack([emu.decode(t) for t in tokens])
        theirs = llamacpp_logits(args.model, tokens, args.n_ctx, args.kv) if args.check else None
    except EmulationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for pos, tok in enumerate(tokens):
        top = np.argsort(-ours[pos])[:args.top]
        line = f"pos {pos:3d} token {tok:6d}  top " + " ".join(f"{i}:{ours[pos][i]:.4f}" for i in top)
        if theirs is not None:
            diff = float(np.abs(ours[pos] - theirs[pos]).max())
            line += f"  | max|diff| {diff:.3g}  KL {kl_divergence(theirs[pos], ours[pos]):.3g}"
        print(line)
    if theirs is not None:
        diffs = np.abs(ours - theirs).max(axis=1)
        kls = [kl_divergence(theirs[i], ours[i]) for i in range(len(tokens))]
        print(f"max |logit diff| {diffs.max():.3g}, mean KL {np.mean(kls):.3g}, "
              f"bit-identical rows {int((diffs == 0).sum())}/{len(tokens)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
