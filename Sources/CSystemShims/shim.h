// What the Swift Glibc module leaves out: malloc.h, for mallopt and M_ARENA_MAX (envmond caps
// glibc's malloc arenas at start-up).
#include <malloc.h>
