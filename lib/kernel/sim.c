/* Monte Carlo simulation of annual loss (METHOD.md section 10). */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "sim.h"

/* Beta(alpha, beta) via two gammas: the gamma parameters for alpha, beta >= 1. */
static void gamma_params(double alpha, double *d, double *c)
{
    *d = alpha - 1.0 / 3.0;
    *c = 1.0 / sqrt(9.0 * *d);
}

static void pert_params(const scsms__pert *p, double *d1, double *c1, double *d2, double *c2)
{
    double range = p->max - p->min;
    double alpha = 1 + 4 * (p->mode - p->min) / range;
    double beta = 1 + 4 * (p->max - p->mode) / range;
    gamma_params(alpha, d1, c1);
    gamma_params(beta, d2, c2);
}

static inline double draw_beta(scsms__rng *r, const scsms__zig *z, double d1, double c1,
                               double d2, double c2)
{
    double x = scsms__gamma_ge1(r, z, d1, c1);
    double y = scsms__gamma_ge1(r, z, d2, c2);
    return x / (x + y);
}

/* Walker's alias method, built deterministically (Vose's stable variant). */
static int build_alias(const double *w, uint32_t n, double total, double *prob, uint32_t *alias)
{
    uint32_t *small = scsms__malloc((size_t)n * sizeof *small);
    uint32_t *large = scsms__malloc((size_t)n * sizeof *large);
    double *q = scsms__malloc((size_t)n * sizeof *q);
    if (!small || !large || !q) {
        scsms__free_mem(small);
        scsms__free_mem(large);
        scsms__free_mem(q);
        return -1;
    }
    uint32_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        q[i] = total > 0 ? w[i] * n / total : 1.0;
        if (q[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns && nl) {
        uint32_t s = small[--ns], l = large[--nl];
        prob[s] = q[s];
        alias[s] = l;
        q[l] = (q[l] + q[s]) - 1.0;
        if (q[l] < 1.0)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl) {
        uint32_t l = large[--nl];
        prob[l] = 1.0;
        alias[l] = l;
    }
    while (ns) {
        uint32_t s = small[--ns];
        prob[s] = 1.0;
        alias[s] = s;
    }
    scsms__free_mem(small);
    scsms__free_mem(large);
    scsms__free_mem(q);
    return 0;
}

int scsms__sim_tables_build(scsms__sim_tables **out, const scsms_model *m,
                            const scsms__exposure_set *xs, const unsigned char *counted)
{
    *out = NULL;
    scsms__sim_tables *t = scsms__calloc(1, sizeof *t);
    if (!t)
        return scsms__oom();
    t->n_scen = m->n_scenarios;
    t->n_exp = xs->n;
    t->scen = scsms__calloc(t->n_scen + 1, sizeof *t->scen);
    t->k = scsms__calloc(t->n_exp + 1, sizeof *t->k);
    t->alias_p = scsms__calloc(t->n_exp + 1, sizeof *t->alias_p);
    t->alias_j = scsms__calloc(t->n_exp + 1, sizeof *t->alias_j);
    double *w = scsms__calloc(t->n_exp + 1, sizeof *w);
    if (!t->scen || !t->k || !t->alias_p || !t->alias_j || !w)
        goto oom;
    scsms__zig_init(&t->zig);
    t->ev_cap = SCSMS__SIM_EV_CAP;
    for (uint32_t s = 0; s < m->n_scenarios; s++) {
        const scsms__scenario *sc = &m->scenarios[s];
        scsms__sim_scen *ss = &t->scen[s];
        uint32_t b = xs->scen_off[s], e = xs->scen_off[s + 1];
        ss->x0 = b;
        ss->nx = e - b;
        double total = 0, fsum = 0;
        for (uint32_t x = b; x < e; x++) {
            scsms__exp_eval ev;
            scsms__exposure_eval(m, xs, x, counted, &ev);
            t->k[x] = ev.k;
            total += ev.lambda;
            /* the rate without lambda(s): a(x) x PROD(1 - rL t) */
            double f = sc->lambda > 0 ? ev.lambda / sc->lambda : 0;
            fsum += f;
            w[x] = ev.lambda;
        }
        ss->total = total;
        ss->p0 = exp(-total);
        ss->p1 = ss->p0 * (1.0 + total);   /* P(N <= 1) */
        ss->method = total >= 10.0;
        if (sc->freq_kind == SCSMS__FREQ_PERT) {
            ss->pert_rate = 1;
            ss->f_sum = fsum;
            ss->fmin = sc->freq_pert.min;
            ss->frange = sc->freq_pert.max - sc->freq_pert.min;
            pert_params(&sc->freq_pert, &ss->f_d1, &ss->f_c1, &ss->f_d2, &ss->f_c2);
        }
        ss->mag = (uint8_t)sc->mag_kind;
        switch (sc->mag_kind) {
        case SCSMS__MAG_FIXED:
            ss->m1 = sc->fixed;
            break;
        case SCSMS__MAG_LOGNORMAL: {
            double lo = log(sc->ln_low), hi = log(sc->ln_high);
            ss->m1 = (lo + hi) / 2;
            ss->m2 = (hi - lo) / (2 * 1.6448536269514722);
            break;
        }
        case SCSMS__MAG_PERT:
            ss->m1 = sc->mag_pert.min;
            ss->m2 = sc->mag_pert.max - sc->mag_pert.min;
            pert_params(&sc->mag_pert, &ss->m_d1, &ss->m_c1, &ss->m_d2, &ss->m_c2);
            break;
        default:
            ss->mag = SCSMS__MAG_FIXED;
            ss->m1 = sc->magnitude_mean;
            break;
        }
        if (ss->nx > 1 && build_alias(w + b, ss->nx, total, t->alias_p + b, t->alias_j + b))
            goto oom;
        if (ss->nx == 1) {
            t->alias_p[b] = 1.0;
            t->alias_j[b] = 0;
        }
    }
    scsms__free_mem(w);
    *out = t;
    return SCSMS_OK;
oom:
    scsms__free_mem(w);
    scsms__sim_tables_free(t);
    return scsms__oom();
}

void scsms__sim_tables_free(scsms__sim_tables *t)
{
    if (!t)
        return;
    scsms__free_mem(t->scen);
    scsms__free_mem(t->k);
    scsms__free_mem(t->alias_p);
    scsms__free_mem(t->alias_j);
    scsms__free_mem(t);
}

/* Per-worker scratch: event counts of a block and the events' losses. */
typedef struct sim_scratch {
    uint32_t cnt[SCSMS__SIM_BLOCK];
    double *ev;          /* losses of one scenario's events in a block */
    size_t ev_cap;
} sim_scratch;

/* Event count of one trial for a fixed-rate scenario. */
static inline uint64_t draw_count(scsms__rng *r, const scsms__sim_scen *ss)
{
    if (ss->method)
        return scsms__poisson_ptrs(r, ss->total);
    double u = scsms__uniform(r);
    if (u < ss->p0)
        return 0;
    if (u < ss->p1)
        return 1;
    return scsms__poisson_inv_tail(u, ss->total, ss->p0);
}

static inline uint64_t draw_count_pert(scsms__rng *r, const scsms__zig *z,
                                       const scsms__sim_scen *ss)
{
    double rate = ss->fmin + ss->frange * draw_beta(r, z, ss->f_d1, ss->f_c1, ss->f_d2, ss->f_c2);
    double lam = rate * ss->f_sum;
    if (lam >= 10.0)
        return scsms__poisson_ptrs(r, lam);
    double p0 = exp(-lam);
    double u = scsms__uniform(r);
    if (u < p0)
        return 0;
    return scsms__poisson_inv_tail(u, lam, p0);
}

/* Exposure of an event: alias pick among the scenario's exposures. */
static inline uint32_t pick(scsms__rng *r, const scsms__sim_scen *ss, const double *ap,
                            const uint32_t *aj)
{
    uint64_t u = scsms__rng_next(r);
    uint32_t j = (uint32_t)(((u >> 32) * (uint64_t)ss->nx) >> 32);
    double coin = (double)(u & 0xffffffffu) * 0x1.0p-32;
    return coin < ap[j] ? j : aj[j];
}

/* Loss of one event: its exposure, then its magnitude times k(x); the same
 * draws in the same order as pass 2 of run_block. */
static inline double event_loss(scsms__rng *r, const scsms__zig *z, const scsms__sim_scen *ss,
                                const double *ap, const uint32_t *aj, const double *kx, int one)
{
    uint32_t j = one ? 0 : pick(r, ss, ap, aj);
    switch (ss->mag) {
    case SCSMS__MAG_LOGNORMAL:
        return exp(ss->m1 + ss->m2 * scsms__normal(r, z)) * kx[j];
    case SCSMS__MAG_PERT:
        return (ss->m1 + ss->m2 * draw_beta(r, z, ss->m_d1, ss->m_c1, ss->m_d2, ss->m_c2)) *
               kx[j];
    default:
        return ss->m1 * kx[j];
    }
}

/* One block of trials: [first, first + n), with its own stream. Per
 * scenario, three tight passes: the event counts of every trial, the
 * losses of every event (one magnitude kind per loop, so the samplers
 * pipeline), then the losses added to their trials. */
static int run_block(const scsms__sim_tables *t, uint64_t seed, uint64_t block, uint64_t first,
                     uint32_t n, double *loss, double *scen_part, sim_scratch *sc)
{
    scsms__rng r;
    scsms__rng_seed(&r, seed, block);
    const scsms__zig *z = &t->zig;
    double *L = loss + first;
    for (uint32_t i = 0; i < n; i++)
        L[i] = 0.0;
    for (uint32_t s = 0; s < t->n_scen; s++) {
        const scsms__sim_scen *ss = &t->scen[s];
        scen_part[s] = 0.0;
        if (ss->nx == 0)
            continue;
        /* pass 1: counts */
        uint64_t E = 0;
        if (ss->pert_rate) {
            for (uint32_t i = 0; i < n; i++) {
                uint64_t c = draw_count_pert(&r, z, ss);
                sc->cnt[i] = (uint32_t)c;
                E += c;
            }
        } else {
            for (uint32_t i = 0; i < n; i++) {
                uint64_t c = draw_count(&r, ss);
                sc->cnt[i] = (uint32_t)c;
                E += c;
            }
        }
        if (E == 0)
            continue;
        const double *ap = t->alias_p + ss->x0;
        const uint32_t *aj = t->alias_j + ss->x0;
        const double *kx = t->k + ss->x0;
        int one = ss->nx == 1;
        double ssum = 0.0;
        if (E > t->ev_cap) {
            /* Very many events (large rates over many exposures): one pass,
             * trial by trial, so memory stays bounded. The draws come in the
             * same order and each trial's sum in the same order as the
             * buffered passes below, so the bits are the same. */
            for (uint32_t i = 0; i < n; i++) {
                uint32_t c = sc->cnt[i];
                if (!c)
                    continue;
                double tl = 0.0;
                for (uint32_t q = 0; q < c; q++)
                    tl += event_loss(&r, z, ss, ap, aj, kx, one);
                L[i] += tl;
                ssum += tl;
            }
            scen_part[s] = ssum;
            continue;
        }
        if (E > sc->ev_cap) {
            size_t cap = sc->ev_cap ? sc->ev_cap : 4096;
            while (cap < E)
                cap *= 2;
            double *nb = scsms__reallocarray(sc->ev, cap, sizeof *nb);
            if (!nb)
                return -1;
            sc->ev = nb;
            sc->ev_cap = cap;
        }
        /* pass 2: the events' losses, one magnitude kind per loop */
        double *ev = sc->ev;
        switch (ss->mag) {
        case SCSMS__MAG_LOGNORMAL:
            for (uint64_t e = 0; e < E; e++) {
                uint32_t j = one ? 0 : pick(&r, ss, ap, aj);
                ev[e] = exp(ss->m1 + ss->m2 * scsms__normal(&r, z)) * kx[j];
            }
            break;
        case SCSMS__MAG_PERT:
            for (uint64_t e = 0; e < E; e++) {
                uint32_t j = one ? 0 : pick(&r, ss, ap, aj);
                ev[e] = (ss->m1 + ss->m2 * draw_beta(&r, z, ss->m_d1, ss->m_c1, ss->m_d2,
                                                     ss->m_c2)) * kx[j];
            }
            break;
        default:
            for (uint64_t e = 0; e < E; e++) {
                uint32_t j = one ? 0 : pick(&r, ss, ap, aj);
                ev[e] = ss->m1 * kx[j];
            }
            break;
        }
        /* pass 3: into the trials */
        uint64_t e = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t c = sc->cnt[i];
            if (!c)
                continue;
            double tl = 0.0;
            for (uint32_t q = 0; q < c; q++)
                tl += ev[e++];
            L[i] += tl;
            ssum += tl;
        }
        scen_part[s] = ssum;
    }
    return 0;
}

typedef struct sim_shared {
    const scsms__sim_tables *t;
    uint64_t trials, seed, n_blocks;
    double *trial_loss, *scen_sum;
    atomic_uint_fast64_t next_block;
    atomic_uint_fast64_t done_trials;
    atomic_int stop;
    int oom;
    /* Per-scenario sums are added in block order, so that they have the same
     * bits for every thread count. When n_blocks x n_scen is small, each
     * block keeps its sums in `parts` and the caller adds them up at the
     * end (no waiting); otherwise a block waits for its predecessor. */
    double *parts;          /* n_blocks x n_scen, or NULL */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t next_reduce;
} sim_shared;

static int worker_loop(sim_shared *sh, scsms__sim_progress progress, void *payload)
{
    double *part = scsms__malloc(((size_t)sh->t->n_scen + 1) * sizeof *part);
    sim_scratch *sc = scsms__calloc(1, sizeof *sc);
    if (!part || !sc) {
        scsms__free_mem(part);
        scsms__free_mem(sc);
        /* cannot help: let the others finish; the caller reports the failure */
        pthread_mutex_lock(&sh->mu);
        sh->oom = 1;
        pthread_mutex_unlock(&sh->mu);
        atomic_store(&sh->stop, 1);
        pthread_cond_broadcast(&sh->cv);
        return -1;
    }
    for (;;) {
        if (atomic_load(&sh->stop))
            break;
        uint64_t b = atomic_fetch_add(&sh->next_block, 1);
        if (b >= sh->n_blocks)
            break;
        uint64_t first = b * SCSMS__SIM_BLOCK;
        uint32_t n = (uint32_t)((sh->trials - first) < SCSMS__SIM_BLOCK ? sh->trials - first
                                                                       : SCSMS__SIM_BLOCK);
        double *bp = sh->parts ? sh->parts + b * sh->t->n_scen : part;
        if (run_block(sh->t, sh->seed, b, first, n, sh->trial_loss, bp, sc)) {
            pthread_mutex_lock(&sh->mu);
            sh->oom = 1;
            pthread_mutex_unlock(&sh->mu);
            atomic_store(&sh->stop, 1);
            pthread_cond_broadcast(&sh->cv);
            break;
        }
        if (!sh->parts) {
            /* add this block's scenario sums in block order */
            pthread_mutex_lock(&sh->mu);
            while (sh->next_reduce != b && !atomic_load(&sh->stop))
                pthread_cond_wait(&sh->cv, &sh->mu);
            if (sh->next_reduce == b) {
                for (uint32_t s = 0; s < sh->t->n_scen; s++)
                    sh->scen_sum[s] += part[s];
                sh->next_reduce = b + 1;
            }
            pthread_mutex_unlock(&sh->mu);
            pthread_cond_broadcast(&sh->cv);
        } else {
            pthread_mutex_lock(&sh->mu);
            sh->next_reduce++;    /* counts finished blocks */
            pthread_mutex_unlock(&sh->mu);
        }
        uint64_t done = atomic_fetch_add(&sh->done_trials, n) + n;
        if (progress && progress(done, sh->trials, payload)) {
            atomic_store(&sh->stop, 1);
            pthread_cond_broadcast(&sh->cv);
        }
    }
    scsms__free_mem(part);
    scsms__free_mem(sc->ev);
    scsms__free_mem(sc);
    return 0;
}

static void *worker_main(void *arg)
{
    worker_loop(arg, NULL, NULL);
    return NULL;
}

int scsms__sim_run(const scsms__sim_tables *t, uint64_t trials, uint64_t seed, unsigned threads,
                   scsms__sim_progress progress, void *payload, double *trial_loss,
                   double *scen_sum)
{
    sim_shared sh;
    memset(&sh, 0, sizeof sh);
    sh.t = t;
    sh.trials = trials;
    sh.seed = seed;
    sh.n_blocks = (trials + SCSMS__SIM_BLOCK - 1) / SCSMS__SIM_BLOCK;
    sh.trial_loss = trial_loss;
    sh.scen_sum = scen_sum;
    atomic_init(&sh.next_block, 0);
    atomic_init(&sh.done_trials, 0);
    atomic_init(&sh.stop, 0);
    for (uint32_t s = 0; s < t->n_scen; s++)
        scen_sum[s] = 0.0;
    if (pthread_mutex_init(&sh.mu, NULL))
        return scsms__fail(SCSMS_ERROR, "simulate: cannot create a mutex");
    if (pthread_cond_init(&sh.cv, NULL)) {
        pthread_mutex_destroy(&sh.mu);
        return scsms__fail(SCSMS_ERROR, "simulate: cannot create a condition variable");
    }
    if (threads > sh.n_blocks)
        threads = (unsigned)(sh.n_blocks ? sh.n_blocks : 1);
    /* up to 4 Mi doubles (32 MiB) of per-block sums: no waiting between blocks */
    if (threads > 1 && t->n_scen && sh.n_blocks <= (4u << 20) / t->n_scen)
        sh.parts = scsms__malloc((size_t)sh.n_blocks * t->n_scen * sizeof *sh.parts);
    pthread_t *tids = NULL;
    unsigned started = 0;
    int rc = SCSMS_OK;
    if (threads > 1) {
        tids = scsms__calloc(threads, sizeof *tids);
        if (!tids)
            rc = scsms__oom();
        for (unsigned i = 1; tids && i < threads; i++) {
            if (pthread_create(&tids[i], NULL, worker_main, &sh))
                break;   /* run with the threads we have: results do not depend on it */
            started++;
        }
    }
    if (rc == SCSMS_OK)
        worker_loop(&sh, progress, payload);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    scsms__free_mem(tids);
    pthread_cond_destroy(&sh.cv);
    pthread_mutex_destroy(&sh.mu);
    if (rc == SCSMS_OK && !sh.oom && sh.parts && sh.next_reduce == sh.n_blocks) {
        for (uint64_t b = 0; b < sh.n_blocks; b++)
            for (uint32_t s = 0; s < t->n_scen; s++)
                scen_sum[s] += sh.parts[b * t->n_scen + s];
    }
    scsms__free_mem(sh.parts);
    if (rc != SCSMS_OK)
        return rc;
    if (sh.oom)
        return scsms__oom();
    if (atomic_load(&sh.stop) || sh.next_reduce != sh.n_blocks)
        return scsms__fail(SCSMS_ECANCELED, "simulate: stopped by the progress callback");
    return SCSMS_OK;
}
