// Force-included into every file of a ThreadSanitizer build (see
// sanitizers.cmake). GCC 12's libstdc++ waits on a std::timed_mutex with a
// steady_clock deadline (sqlite::Database's writer queue) through
// pthread_mutex_clocklock, which GCC 12's libtsan does not intercept
// (llvm/llvm-project#62623): TSan misses the lock, then reports "unlock of an
// unlocked mutex" and races on everything it guards. Without these macros
// libstdc++ waits through pthread_mutex_timedlock, which TSan does intercept.
#include <bits/c++config.h>
#undef _GLIBCXX_USE_PTHREAD_MUTEX_CLOCKLOCK
#undef _GLIBCXX_USE_PTHREAD_RWLOCK_CLOCKLOCK
