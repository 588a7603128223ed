/*
 * Is each CPU run when it should be? One SCHED_FIFO thread (priority 50, above our event loop's
 * 10) pinned to each CPU sleeps 1 ms at a time and prints every wake-up more than 5 ms late,
 * with the CPU and the CLOCK_MONOTONIC time it went to sleep (ftrace's "mono" clock). A
 * real-time thread that wakes late on one CPU while the other's is on time, and a CPU that
 * takes no timer interrupt meanwhile, is a vCPU its hypervisor did not run (BENCHMARKS.md,
 * "What freezes a CPU"). Run as root beside scripts/load.py:
 *
 *   gcc -O2 -pthread -o /tmp/cpu_probe scripts/cpu_probe.c && /tmp/cpu_probe SECONDS
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_NS 1000000LL
#define REPORT_NS 5000000LL

static double run_seconds;

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void *probe(void *arg) {
    long cpu = (long) arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    struct sched_param fifo = {.sched_priority = 50};
    if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo) != 0) {
        fprintf(stderr, "cpu%ld: no SCHED_FIFO (run as root)\n", cpu);
    }
    long long end = now_ns() + (long long) (run_seconds * 1e9), wakeups = 0, late = 0;
    struct timespec period = {0, PERIOD_NS};
    while (now_ns() < end) {
        long long asleep = now_ns();
        clock_nanosleep(CLOCK_MONOTONIC, 0, &period, NULL);
        long long lateness = now_ns() - asleep - PERIOD_NS;
        wakeups++;
        if (lateness > REPORT_NS) {
            late++;
            printf("cpu%ld late %.1f ms at %.6f\n", cpu, lateness / 1e6, asleep / 1e9);
            fflush(stdout);
        }
    }
    printf("cpu%ld wakeups %lld late %lld\n", cpu, wakeups, late);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2 || (run_seconds = atof(argv[1])) <= 0) {
        fprintf(stderr, "usage: %s SECONDS\n", argv[0]);
        return 2;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    pthread_t *threads = calloc((size_t) cpus, sizeof *threads);
    for (long cpu = 0; cpu < cpus; cpu++) {
        pthread_create(&threads[cpu], NULL, probe, (void *) cpu);
    }
    for (long cpu = 0; cpu < cpus; cpu++) {
        pthread_join(threads[cpu], NULL);
    }
    return 0;
}
