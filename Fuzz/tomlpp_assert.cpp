// See tomlpp_assert.hpp. Compiled into the config fuzzer only.
#include "toml.hpp"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <unistd.h>

[[noreturn]] void envmon_fuzz_tomlpp_assert(const char* expression, const char* file, int line) {
    static std::set<int>* seen = new std::set<int>;
    if (seen->insert(line).second) {
        const char* directory = getenv("FUZZ_SCRATCH");
        std::string scratch = directory ? directory : "/tmp";
        // The input being run: ConfigLoaderFuzz.swift wrote it here for EnvMonConfiguration.load.
        std::string input = scratch + "/envmon-fuzz-config-" + std::to_string(getpid()) + ".toml";
        std::string saved = scratch + "/tomlpp-assert-" + std::to_string(line) + ".toml";
        if (FILE* in = fopen(input.c_str(), "rb")) {
            if (FILE* out = fopen(saved.c_str(), "wb")) {
                char buffer[4096];
                size_t n;
                while ((n = fread(buffer, 1, sizeof buffer, in)) > 0) fwrite(buffer, 1, n, out);
                fclose(out);
            }
            fclose(in);
        }
        fprintf(stderr, "ENVMON-FUZZ toml++ assertion (aborts envmond; reported, not aborting here): %s:%d: %s; input saved as %s\n",
                file, line, expression, saved.c_str());
    }
    throw toml::parse_error("toml++ assertion failed (would abort)", toml::source_position{ 1, 1 });
}
