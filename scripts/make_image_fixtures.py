#!/usr/bin/env python3
"""Writes the small test images in Tests/ImageIOTests/Fixtures and expected.json, which holds
what Pillow decodes from each (RGBA pixels as hex, after ImageOps.exif_transpose) so the Swift
decoder can be checked against an independent implementation.

Run with Pillow and numpy installed, e.g.
    python3 -m venv /tmp/venv-img && /tmp/venv-img/bin/pip install Pillow numpy
    /tmp/venv-img/bin/python scripts/make_image_fixtures.py

Pillow cannot write interlaced or 16-bit RGB PNGs, so those two are written by the small PNG
writer below and decoded by Pillow like the rest. Pillow reads 16-bit samples by dropping the
low byte; the reference for the 16-bit file is instead round(v * 255 / 65535) computed with
numpy from the samples written (libpng's scaling), checked here to be within 1 of Pillow's.
"""
import io
import json
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageOps

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImageIOTests",
                   "Fixtures")
W, H = 23, 17


def base_rgb(w=W, h=H):
    """A gradient with a distinct 3x3 colour block in each corner, so any turn or mirror shows."""
    y, x = np.mgrid[0:h, 0:w]
    a = np.zeros((h, w, 3), np.uint8)
    a[..., 0] = (x * 255 // max(w - 1, 1)).astype(np.uint8)
    a[..., 1] = (y * 255 // max(h - 1, 1)).astype(np.uint8)
    a[..., 2] = ((x + y) * 7 % 256).astype(np.uint8)
    a[0:3, 0:3] = (255, 0, 0)
    a[0:3, w - 3:w] = (0, 255, 0)
    a[h - 3:h, 0:3] = (0, 0, 255)
    a[h - 3:h, w - 3:w] = (255, 255, 0)
    return a


def alpha_channel(w=W, h=H):
    y, x = np.mgrid[0:h, 0:w]
    alpha = ((x * 11 + y * 5) % 256).astype(np.uint8)
    alpha[0, 0] = 0
    alpha[0, 1] = 255
    return alpha


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(samples, color_type, bit_depth, interlaced):
    """A PNG from an (h, w, channels) array of samples, filter type 0 on every row."""
    h, w = samples.shape[:2]
    dtype = ">u2" if bit_depth == 16 else "u1"
    def rows(sub):
        return b"".join(b"\x00" + sub[r].astype(dtype).tobytes() for r in range(sub.shape[0]))
    if interlaced:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                  (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            sub = samples[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += rows(sub)
    else:
        raw = rows(samples)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlaced else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def exif_bytes(orientation, big_endian=False):
    """A TIFF structure with one IFD0 entry: Orientation (0x0112), SHORT, count 1."""
    if big_endian:
        return (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
                + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0))
    return (b"II\x2a\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
            + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack("<I", 0))


def pillow_rgba(data):
    im = Image.open(io.BytesIO(data))
    im.load()
    im = ImageOps.exif_transpose(im)
    if im.mode == "CMYK":
        im = im.convert("RGB")
    return np.asarray(im.convert("RGBA"))


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {}

    def save_pillow(name, image, **options):
        buffer = io.BytesIO()
        image.save(buffer, **options)
        files[name] = buffer.getvalue()

    rgb = Image.fromarray(base_rgb(), "RGB")
    rgba_array = np.dstack([base_rgb(), alpha_channel()])
    rgba = Image.fromarray(rgba_array, "RGBA")

    # JPEGs.
    save_pillow("baseline.jpg", rgb, format="JPEG", quality=92)
    save_pillow("progressive.jpg", rgb, format="JPEG", quality=92, progressive=True)
    save_pillow("grey.jpg", rgb.convert("L"), format="JPEG", quality=92)
    save_pillow("cmyk.jpg", rgb.convert("CMYK"), format="JPEG", quality=92)
    # Stored turned the other way, so the upright picture is the base image again.
    stored6 = rgb.transpose(Image.Transpose.ROTATE_90)    # orientation 6 turns it back clockwise
    save_pillow("orient6.jpg", stored6, format="JPEG", quality=92,
                exif=b"Exif\x00\x00" + exif_bytes(6))
    stored8 = rgb.transpose(Image.Transpose.ROTATE_270)
    save_pillow("orient8_motorola.jpg", stored8, format="JPEG", quality=92,
                exif=b"Exif\x00\x00" + exif_bytes(8, big_endian=True))
    stored3 = rgb.transpose(Image.Transpose.ROTATE_180)
    save_pillow("orient3.jpg", stored3, format="JPEG", quality=92,
                exif=b"Exif\x00\x00" + exif_bytes(3))

    # PNGs.
    save_pillow("rgb8.png", rgb, format="PNG")
    save_pillow("rgba8.png", rgba, format="PNG")
    save_pillow("palette.png", rgb.quantize(colors=16, dither=Image.Dither.NONE), format="PNG")
    palette_alpha = rgba.quantize(colors=16, method=Image.Quantize.FASTOCTREE,
                                  dither=Image.Dither.NONE)
    save_pillow("palette_alpha.png", palette_alpha, format="PNG")
    save_pillow("grey8.png", rgb.convert("L"), format="PNG")
    save_pillow("grey_alpha.png", rgba.convert("LA"), format="PNG")
    save_pillow("grey1.png", rgb.convert("L").point(lambda v: 255 if v > 100 else 0).convert("1"),
                format="PNG")
    rng = np.random.default_rng(7)
    samples16 = rng.integers(0, 65536, size=(H, W, 3), dtype=np.uint64)
    samples16[0, 0] = (0, 65535, 128)     # the ends and a value that rounds down
    samples16[0, 1] = (383, 384, 32767)   # values either side of a rounding boundary
    files["rgb16.png"] = write_png(samples16, color_type=2, bit_depth=16, interlaced=False)
    files["interlaced.png"] = write_png(rgba_array, color_type=6, bit_depth=8, interlaced=True)

    # Small PNGs carrying every EXIF orientation in an eXIf chunk (lossless, so exact).
    small = Image.fromarray(base_rgb(5, 3), "RGB")
    for orientation in range(1, 9):
        save_pillow(f"orient{orientation}.png", small, format="PNG",
                    exif=exif_bytes(orientation, big_endian=orientation % 2 == 0))

    expected = {"images": [], "resize": []}
    for name, data in sorted(files.items()):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        pixels = pillow_rgba(data)
        stored = Image.open(io.BytesIO(data))
        exif = stored.getexif()
        if name == "rgb16.png":
            reference = ((samples16 * 255 + 32767) // 65535).astype(np.uint8)
            reference = np.dstack([reference, np.full((H, W), 255, np.uint8)])
            assert np.abs(reference.astype(int) - pixels.astype(int)).max() <= 1
            pixels = reference
        expected["images"].append({
            "file": name,
            "format": "jpeg" if name.endswith(".jpg") else "png",
            "fileBytes": len(data),
            "storedWidth": stored.width,
            "storedHeight": stored.height,
            "orientation": int(exif.get(0x0112, 1)),
            "width": int(pixels.shape[1]),
            "height": int(pixels.shape[0]),
            "tolerance": 3 if name.endswith(".jpg") else 0,
            "rgba": pixels.astype(np.uint8).tobytes().hex(),
        })

    # Resampling references on the opaque base picture and a noisier one.
    noisy = Image.fromarray(rng.integers(0, 256, size=(30, 40, 3), dtype=np.uint8), "RGB")
    # Pillow's BOX weighs each source pixel by whether its centre falls inside the output
    # pixel, which is true area averaging only for whole-number ratios; only those are used.
    box_sizes = {"base": [], "noise40x30": [(20, 15), (8, 6), (10, 10)]}
    for source_name, source in (("base", rgb), ("noise40x30", noisy)):
        src = source.convert("RGBA")
        for filter_name, method, sizes in (
                ("box", Image.Resampling.BOX, box_sizes[source_name]),
                ("bicubic", Image.Resampling.BICUBIC, [(10, 7), (37, 29), (23, 9), (5, 40)])):
            for (w, h) in sizes:
                out = source.resize((w, h), method)
                expected["resize"].append({
                    "source": source_name, "filter": filter_name, "width": w, "height": h,
                    "sourceWidth": source.width, "sourceHeight": source.height,
                    "sourceRGBA": np.asarray(src).tobytes().hex(),
                    "rgb": np.asarray(out.convert("RGB")).tobytes().hex(),
                })

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(files)} images and expected.json to {OUT} ({total} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
