/*
 * exafsnn_blas: a minimal Node-API addon exposing OpenBLAS sgemm (row-major) and a fused Adam
 * update on Float32Arrays, for the native training path of src/nn (src/nn/gemm.ts).
 * Optional: src/nn falls back to the wasm / JS engines when this is not built.
 * Build: native/build.sh (needs Debian's libopenblas-dev and node's headers; no node-gyp).
 */
#include <node_api.h>
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

extern void openblas_set_num_threads(int);
extern char *openblas_get_config(void);

#define CHECK(call)                                                          \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, NULL, "exafsnn_blas: N-API call failed: " #call); \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

static int get_f32(napi_env env, napi_value v, float **data, size_t *len, const char *what) {
  napi_typedarray_type type;
  size_t length, offset;
  void *ptr;
  napi_value buf;
  int is_ta = 0;
  bool b;
  if (napi_is_typedarray(env, v, &b) != napi_ok || !b) {
    char msg[128];
    snprintf(msg, sizeof msg, "exafsnn_blas: %s must be a Float32Array", what);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  (void)is_ta;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, &buf, &offset) != napi_ok || type != napi_float32_array) {
    char msg[128];
    snprintf(msg, sizeof msg, "exafsnn_blas: %s must be a Float32Array", what);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  *data = (float *)ptr;
  *len = length;
  return 1;
}

static double get_num(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

/* sgemm(transA, transB, M, N, K, alpha, A, B, beta, C), row-major, C is M×N */
static napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value a[10];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 10) {
    napi_throw_error(env, NULL, "exafsnn_blas.sgemm: expected 10 arguments");
    return NULL;
  }
  int ta = (int)get_num(env, a[0]), tb = (int)get_num(env, a[1]);
  int64_t M = (int64_t)get_num(env, a[2]), N = (int64_t)get_num(env, a[3]), K = (int64_t)get_num(env, a[4]);
  float alpha = (float)get_num(env, a[5]), beta = (float)get_num(env, a[8]);
  float *A, *B, *C;
  size_t la, lb, lc;
  if (!get_f32(env, a[6], &A, &la, "A") || !get_f32(env, a[7], &B, &lb, "B") || !get_f32(env, a[9], &C, &lc, "C")) return NULL;
  if (M < 0 || N < 0 || K < 0 || (size_t)(M * K) > la || (size_t)(K * N) > lb || (size_t)(M * N) > lc) {
    napi_throw_range_error(env, NULL, "exafsnn_blas.sgemm: array too short for M, N, K");
    return NULL;
  }
  int lda = ta ? (int)M : (int)K;
  int ldb = tb ? (int)K : (int)N;
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)M, (int)N, (int)K, alpha, A,
              lda, B, ldb, beta, C, (int)N);
  return NULL;
}

/* adam(p, g, m, v, lrT, beta1, beta2, eps): in place */
static napi_value Adam(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value a[8];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 8) {
    napi_throw_error(env, NULL, "exafsnn_blas.adam: expected 8 arguments");
    return NULL;
  }
  float *p, *g, *m, *v;
  size_t lp, lg, lm, lv;
  if (!get_f32(env, a[0], &p, &lp, "p") || !get_f32(env, a[1], &g, &lg, "g") || !get_f32(env, a[2], &m, &lm, "m") ||
      !get_f32(env, a[3], &v, &lv, "v"))
    return NULL;
  if (lg != lp || lm != lp || lv != lp) {
    napi_throw_range_error(env, NULL, "exafsnn_blas.adam: p, g, m, v must have the same length");
    return NULL;
  }
  const float lrT = (float)get_num(env, a[4]), b1 = (float)get_num(env, a[5]), b2 = (float)get_num(env, a[6]),
              eps = (float)get_num(env, a[7]);
  const float c1 = 1.0f - b1, c2 = 1.0f - b2;
  for (size_t i = 0; i < lp; i++) {
    const float gi = g[i];
    const float mi = b1 * m[i] + c1 * gi;
    const float vi = b2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= lrT * mi / (sqrtf(vi) + eps);
  }
  return NULL;
}

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  int n = argc > 0 ? (int)get_num(env, a[0]) : 1;
  openblas_set_num_threads(n < 1 ? 1 : n);
  return NULL;
}

static napi_value Info(napi_env env, napi_callback_info info) {
  napi_value s;
  (void)info;
  const char *cfg = openblas_get_config();
  CHECK(napi_create_string_utf8(env, cfg ? cfg : "OpenBLAS", NAPI_AUTO_LENGTH, &s));
  return s;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor desc[] = {
      {"sgemm", NULL, Sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, Adam, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, Info, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof desc / sizeof desc[0], desc));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
