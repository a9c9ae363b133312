"""Makes the reference files SafetensorsInteropTest checks against, with the reference implementation itself.

Not run by the build (the tests must not need Python); rerun by hand to refresh or extend the files:
    python3 make_reference_files.py        # needs safetensors (0.8.0 made the committed files) and numpy
"""
import numpy as np
from safetensors import TensorSpec, serialize_file
from safetensors.numpy import save_file


def spec(dtype_name, array, keep):
    keep.append(array)
    return TensorSpec(dtype=dtype_name, shape=array.shape, data_ptr=array.ctypes.data, data_len=array.nbytes)


# Every dtype PTLab decodes, with edge values. F16/BF16 go in as raw bits (numpy has no bfloat16).
keep = []
serialize_file({
    "f64": spec("float64", np.array([1.5, -0.0], dtype="<f8"), keep),
    "f32": spec("float32", np.array([[1.0, -2.0], [3.4028235e38, 1.4e-45]], dtype="<f4"), keep),
    # 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), +inf
    "f16": spec("float16", np.array([0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00], dtype="<u2"), keep),
    # 1.0, -2.0, +inf, 2^-133 (smallest subnormal)
    "bf16": spec("bfloat16", np.array([0x3F80, 0xC000, 0x7F80, 0x0001], dtype="<u2"), keep),
    "i64": spec("int64", np.array([-2**63, 42], dtype="<i8"), keep),
    "i32": spec("int32", np.array([-1, 0, 2**31 - 1], dtype="<i4"), keep),
    "i16": spec("int16", np.array([-32768, 7], dtype="<i2"), keep),
    "i8": spec("int8", np.array([-128, 127], dtype="i1"), keep),
    "u8": spec("uint8", np.array([0, 255], dtype="u1"), keep),
    "bool": spec("bool", np.array([True, False, True]), keep),
    "scalar": spec("float32", np.array(0.25, dtype="<f4"), keep),
    "empty": spec("float32", np.zeros((0, 3), dtype="<f4"), keep),
}, "reference-dtypes.safetensors", metadata={"format": "pt"})

# What SafetensorsWriter must reproduce byte for byte: mixed F32/F64, names out of order, a name that needs
# escaping and one beyond ASCII. One metadata key only: the reference orders several by hash, not reproducibly.
save_file({
    "b": np.arange(6, dtype="<f4").reshape(2, 3) - 2.5,
    "a": np.array([7.0], dtype="<f4"),
    "w": np.array([0.1, -1e300], dtype="<f8"),
    "z_": np.array(-0.0, dtype="<f4"),
    "tab\there \"q\" \u00e9\u2603": np.array([1.0], dtype="<f4"),
    "\U0001F600": np.array([2.0], dtype="<f4"),
    "\uFFFD": np.array([3.0], dtype="<f4"),
    "ctl\x1f\x0b\x7f": np.array([4.0], dtype="<f4"),   # serde_json: lower-case \u001f, DEL unescaped
}, "reference-written.safetensors", metadata={"format": "pt"})
