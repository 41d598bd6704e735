/**
 * The precision a tool's data type names, in chipbench's short names (f32 as the built-in cases say it). Types from
 * nccl-tests' and rccl-tests' `ncclDataType` names (src/common.cu: test_typenames), hccl_test's `-d` values, and
 * PyTorch's dtypes as mamf-finder prints them. A type not listed is refused: guessing a precision would set a
 * figure beside the wrong peak.
 */
const PRECISIONS: Record<string, string> = {
  float: 'f32',
  float32: 'f32',
  fp32: 'f32',
  'torch.float32': 'f32',
  'torch.float': 'f32',
  half: 'f16',
  float16: 'f16',
  fp16: 'f16',
  'torch.float16': 'f16',
  'torch.half': 'f16',
  bfloat16: 'bf16',
  bf16: 'bf16',
  bfp16: 'bf16',
  'torch.bfloat16': 'bf16',
  double: 'f64',
  float64: 'f64',
  fp64: 'f64',
  'torch.float64': 'f64',
  fp8_e4m3: 'f8e4m3',
  fp8_e5m2: 'f8e5m2',
  'torch.float8_e4m3fn': 'f8e4m3',
  'torch.float8_e5m2': 'f8e5m2',
  char: 'i8',
  int8: 'i8',
  'torch.int8': 'i8',
  uint8: 'u8',
  int: 'i32',
  int32: 'i32',
  uint32: 'u32',
  int64: 'i64',
  uint64: 'u64',
};

/** 'float' -> 'f32', 'torch.bfloat16' -> 'bf16'; undefined for a type no tool is known to print. */
export function precisionOf(dtype: string): string | undefined {
  return PRECISIONS[dtype.trim().toLowerCase()];
}
