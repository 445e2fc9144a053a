// Config fuzzer only (Fuzz/run.sh, FUZZ_TOMLPP_ASSERT=report, the default): force-included with
// `clang++ -include` ahead of toml.hpp when CTOML is compiled for the fuzzer. toml++ keeps its
// TOML_ASSERT/TOML_ASSERT_ASSUME checks on (SwiftPM builds CTOML without -DNDEBUG, in release
// too), and in EnvMon a failed one aborts the process. Here a failed check is recorded and then
// thrown as a toml::parse_error, which toml++ uses for every syntax error, so the fuzzer keeps
// going past an abort that is already known and still finds every other one. Each distinct
// assertion is reported once on stderr and its first input is saved as
// $FUZZ_SCRATCH/tomlpp-assert-<line>.toml (see tomlpp_assert.cpp); Fuzz/run.sh lists them as
// findings. FUZZ_TOMLPP_ASSERT=abort builds CTOML as shipped instead.
#pragma once
#ifdef __cplusplus
[[noreturn]] void envmon_fuzz_tomlpp_assert(const char* expression, const char* file, int line);
#define TOML_ASSERT(expr) ((expr) ? static_cast<void>(0) : envmon_fuzz_tomlpp_assert(#expr, __FILE__, __LINE__))
#endif
