/* clock.h - wall and monotonic time, and RFC 3339 formatting. */
#ifndef HG_CLOCK_H
#define HG_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Microseconds since the Unix epoch (wall clock). */
int64_t hg_clock_now_us(void);
/* Microseconds from an arbitrary origin (monotonic; for durations and deadlines). */
int64_t hg_clock_mono_us(void);
/* Format us (since the epoch) as "2026-11-22T12:00:00.000000Z" into buf (>= 28 bytes). */
void hg_clock_rfc3339(int64_t us, char *buf, size_t len);

#endif
