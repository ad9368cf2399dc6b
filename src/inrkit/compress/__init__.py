"""Compression of fitted fields (protocols.md §12): per-tensor uniform quantisation, entropy coding
(range coder or zstd), a one-file format with a small header, decoding to a queryable field, and
Pillow's JPEG / WebP / AVIF as references."""

from inrkit.compress.codec import Decoded, Encoded, GridInfo, decode_bytes, decode_file, encode_field
from inrkit.compress.quantize import BITS, dequantise, quantise

__all__ = ["BITS", "Decoded", "Encoded", "GridInfo", "decode_bytes", "decode_file", "dequantise", "encode_field",
           "quantise"]
