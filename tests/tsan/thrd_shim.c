/* thrd_shim.c - C11 threads, mutexes and condition variables over pthreads, linked into ThreadSanitizer
 * builds only.
 *
 * librdkafka uses glibc's C11 threads (thrd_create, mtx_lock, cnd_wait, ...), which call into libpthread's
 * internals without going through the functions ThreadSanitizer intercepts: TSan never learns of those
 * threads (it crashes in its allocator on their first malloc) nor of those locks (every access they guard
 * looks like a race). Defining the C11 functions in the executable interposes them for librdkafka and routes
 * them through the intercepted pthread functions. glibc's mtx_t and cnd_t are unions the size of
 * pthread_mutex_t and pthread_cond_t, so the cast is exact.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

#include <time.h>

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg);
int thrd_join(thrd_t thr, int *res);
int thrd_detach(thrd_t thr);
int mtx_init(mtx_t *m, int type);
int mtx_lock(mtx_t *m);
int mtx_trylock(mtx_t *m);
int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict ts);
int mtx_unlock(mtx_t *m);
void mtx_destroy(mtx_t *m);
int cnd_init(cnd_t *c);
int cnd_signal(cnd_t *c);
int cnd_broadcast(cnd_t *c);
int cnd_wait(cnd_t *c, mtx_t *m);
int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts);
void cnd_destroy(cnd_t *c);

_Static_assert(sizeof(mtx_t) >= sizeof(pthread_mutex_t), "mtx_t holds a pthread mutex");
_Static_assert(sizeof(cnd_t) >= sizeof(pthread_cond_t), "cnd_t holds a pthread condition variable");

#define M(m) ((pthread_mutex_t *)(void *)(m))
#define C(c) ((pthread_cond_t *)(void *)(c))

static int result(int rc)
{
	return rc == 0 ? thrd_success : rc == ETIMEDOUT ? thrd_timedout : rc == EBUSY ? thrd_busy : thrd_error;
}

int mtx_init(mtx_t *m, int type)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	if (type & mtx_recursive)
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	int rc = pthread_mutex_init(M(m), &a);
	pthread_mutexattr_destroy(&a);
	return result(rc);
}

int mtx_lock(mtx_t *m) { return result(pthread_mutex_lock(M(m))); }
int mtx_trylock(mtx_t *m) { return result(pthread_mutex_trylock(M(m))); }
int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict ts)
{
	return result(pthread_mutex_timedlock(M(m), ts));
}
int mtx_unlock(mtx_t *m) { return result(pthread_mutex_unlock(M(m))); }
void mtx_destroy(mtx_t *m) { pthread_mutex_destroy(M(m)); }
int cnd_init(cnd_t *c) { return result(pthread_cond_init(C(c), NULL)); }
int cnd_signal(cnd_t *c) { return result(pthread_cond_signal(C(c))); }
int cnd_broadcast(cnd_t *c) { return result(pthread_cond_broadcast(C(c))); }
int cnd_wait(cnd_t *c, mtx_t *m) { return result(pthread_cond_wait(C(c), M(m))); }
int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts)
{
	return result(pthread_cond_timedwait(C(c), M(m), ts));
}
void cnd_destroy(cnd_t *c) { pthread_cond_destroy(C(c)); }

struct start {
	thrd_start_t func;
	void *arg;
};

static void *trampoline(void *p)
{
	struct start s = *(struct start *)p;
	free(p);
	return (void *)(intptr_t)s.func(s.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
	struct start *s = malloc(sizeof(*s));
	if (s == NULL)
		return thrd_nomem;
	s->func = func;
	s->arg = arg;
	pthread_t t;
	if (pthread_create(&t, NULL, trampoline, s) != 0) {
		free(s);
		return thrd_error;
	}
	*thr = (thrd_t)t;
	return thrd_success;
}

int thrd_join(thrd_t thr, int *res)
{
	void *value = NULL;
	if (pthread_join((pthread_t)thr, &value) != 0)
		return thrd_error;
	if (res != NULL)
		*res = (int)(intptr_t)value;
	return thrd_success;
}

int thrd_detach(thrd_t thr) { return pthread_detach((pthread_t)thr) == 0 ? thrd_success : thrd_error; }
