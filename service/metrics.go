package service

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that several servers (tests, an embedding program) do not collide.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	inflight  prometheus.Gauge
	decisions *prometheus.CounterVec
	reloads   *prometheus.CounterVec
	panics    prometheus.Counter
	active    *prometheus.GaugeVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hotro_http_requests_total", Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hotro_http_request_duration_seconds", Help: "Time to answer, by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "hotro_http_requests_in_flight", Help: "Requests being answered."})
	m.decisions = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hotro_decisions_total", Help: "Records decided by /v1/decide, by outcome (eligible, not_eligible, error)."}, []string{"outcome"})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "hotro_reloads_total", Help: "Reloads of the rules, by result (ok, failed)."}, []string{"result"})
	m.panics = prometheus.NewCounter(prometheus.CounterOpts{Name: "hotro_panics_total", Help: "Panics recovered while answering."})
	m.active = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hotro_ruleset_active", Help: "1 for each rule set in force, by id and hash."}, []string{"id", "hash"})
	m.reg.MustRegister(m.requests, m.duration, m.inflight, m.decisions, m.reloads, m.panics, m.active,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{Namespace: "hotro"}))
	return m
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	if code == 0 {
		code = http.StatusOK
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) setActive(st *state) {
	m.active.Reset()
	for _, s := range st.lib.Sets() {
		m.active.WithLabelValues(s.Meta.ID, s.Hash).Set(1)
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
