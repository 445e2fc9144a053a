// What the Swift Glibc module leaves out: malloc.h, for mallopt and M_ARENA_MAX (envmond caps
// glibc's malloc arenas at start-up).
#include <malloc.h>

// spawn.h declares posix_spawn_file_actions_addclosefrom_np (glibc 2.34) only under _GNU_SOURCE,
// which the Glibc module is built without; the tests' process launcher needs it.
#include <spawn.h>
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
