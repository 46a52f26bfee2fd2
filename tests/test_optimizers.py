"""Each optimizer's first steps worked out by hand from its formula."""

import numpy as np
import pytest

from lossplay.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop, make_optimizer


def steps(optimizer, grads, lr):
    """Apply the optimizer to a sequence of gradients from theta = 0; return the steps and states."""
    theta = np.zeros_like(grads[0])
    state = optimizer.init(theta)
    out = []
    for g in grads:
        step, state = optimizer.update(np.array(g, dtype=float), state, lr)
        theta = theta + step
        out.append((step, state, theta))
    return out


def test_plain_sgd_steps_against_the_gradient():
    (step, state, _), = steps(SGD(), [np.array([2.0, -4.0])], lr=0.1)
    np.testing.assert_allclose(step, [-0.2, 0.4])
    assert state.buffer is None


def test_sgd_momentum_by_hand():
    g1, g2 = np.array([1.0, -2.0]), np.array([3.0, 0.5])
    (s1, st1, _), (s2, st2, _) = steps(SGD(momentum=0.9), [g1, g2], lr=0.1)
    # b1 = g1; b2 = 0.9 * g1 + g2 = [3.9, -1.3]
    np.testing.assert_allclose(st1.buffer, [1.0, -2.0])
    np.testing.assert_allclose(s1, [-0.1, 0.2])
    np.testing.assert_allclose(st2.buffer, [3.9, -1.3])
    np.testing.assert_allclose(s2, [-0.39, 0.13])


def test_nesterov_by_hand():
    g1, g2 = np.array([1.0]), np.array([3.0])
    (s1, _, _), (s2, st2, _) = steps(SGD(momentum=0.5, nesterov=True), [g1, g2], lr=0.1)
    # b1 = 1, step1 = -0.1 * (1 + 0.5 * 1) = -0.15;  b2 = 0.5 + 3 = 3.5, step2 = -0.1 * (3 + 1.75) = -0.475
    np.testing.assert_allclose(s1, [-0.15])
    np.testing.assert_allclose(st2.buffer, [3.5])
    np.testing.assert_allclose(s2, [-0.475])


def test_adam_by_hand():
    g1, g2 = np.array([2.0, -1.0]), np.array([-1.0, 0.5])
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 0.01
    (s1, st1, _), (s2, st2, _) = steps(Adam(b1, b2, eps), [g1, g2], lr)
    # step 1: m = 0.1 g1, v = 0.001 g1^2, m^ = g1, v^ = g1^2, step = -lr * g1 / (|g1| + eps)
    np.testing.assert_allclose(st1.m, 0.1 * g1)
    np.testing.assert_allclose(st1.v, 0.001 * g1**2)
    np.testing.assert_allclose(s1, -lr * g1 / (np.abs(g1) + eps))
    assert st1.count == 1 and st2.count == 2
    m2 = 0.9 * 0.1 * g1 + 0.1 * g2
    v2 = 0.999 * 0.001 * g1**2 + 0.001 * g2**2
    m_hat, v_hat = m2 / (1 - 0.9**2), v2 / (1 - 0.999**2)
    np.testing.assert_allclose(st2.m, m2)
    np.testing.assert_allclose(st2.v, v2)
    np.testing.assert_allclose(s2, -lr * m_hat / (np.sqrt(v_hat) + eps))
    # the first coordinate on paper: m = 0.9 * 0.2 - 0.1 = 0.08, v = 0.999 * 0.004 + 0.001 = 0.004996,
    # m^ = 0.08 / 0.19, v^ = 0.004996 / 0.001999
    assert st2.m[0] == pytest.approx(0.08) and st2.v[0] == pytest.approx(0.004996)
    assert s2[0] == pytest.approx(-0.01 * (0.08 / 0.19) / (np.sqrt(0.004996 / 0.001999) + 1e-8))


def test_adam_trace_holds_the_bias_corrected_moments():
    adam = Adam()
    trace = {}
    adam.update(np.array([4.0]), adam.init(np.zeros(1)), 0.1, trace=trace)
    np.testing.assert_allclose(trace["m_hat"], [4.0])
    np.testing.assert_allclose(trace["v_hat"], [16.0])


def test_rmsprop_by_hand():
    g1, g2 = np.array([2.0]), np.array([-1.0])
    (s1, st1, _), (s2, st2, _) = steps(RMSprop(rho=0.9, eps=1e-8), [g1, g2], lr=0.01)
    # v1 = 0.1 * 4 = 0.4; step1 = -0.01 * 2 / (sqrt(0.4) + 1e-8)
    np.testing.assert_allclose(st1.v, [0.4])
    np.testing.assert_allclose(s1, [-0.02 / (np.sqrt(0.4) + 1e-8)])
    # v2 = 0.9 * 0.4 + 0.1 * 1 = 0.46; step2 = +0.01 / (sqrt(0.46) + 1e-8)
    np.testing.assert_allclose(st2.v, [0.46])
    np.testing.assert_allclose(s2, [0.01 / (np.sqrt(0.46) + 1e-8)])


@pytest.mark.parametrize("optimizer", [SGD(), SGD(momentum=0.9), Adam(), AdamW(), RMSprop(), RMSprop(momentum=0.9),
                                       Adagrad()], ids=lambda o: f"{o.name}{o.params()}")
def test_update_leaves_state_and_gradient_untouched(optimizer):
    theta = np.ones(3)
    state = optimizer.init(theta)
    state = optimizer.update(np.array([1.0, 2.0, 3.0]), state, 0.1, theta)[1]
    before = [None if a is None else np.array(a, copy=True) for a in state]
    grad = np.array([0.5, -0.5, 2.0])
    optimizer.update(grad, state, 0.1, theta)
    np.testing.assert_array_equal(theta, np.ones(3))
    for a, b in zip(state, before):
        if b is not None:
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(grad, [0.5, -0.5, 2.0])


@pytest.mark.parametrize("name", ["sgd", "adam", "adamw", "rmsprop", "adagrad"])
def test_every_optimizer_finds_the_minimum_of_a_parabola(name):
    """f(x) = 1/2 * (x - c)^T diag(a) (x - c), plus a bias-like last coordinate: every optimizer lands on c."""
    a, c = np.array([1.0, 4.0, 2.0]), np.array([3.0, -2.0, 1.0])
    optimizer = make_optimizer(name, momentum=0.5, weight_decay=0.0)
    theta = np.zeros(3)
    state = optimizer.init(theta)
    lr = {"sgd": 0.2, "adam": 0.05, "adamw": 0.05, "rmsprop": 0.01, "adagrad": 0.5}[name]
    for t in range(3000):
        decay = 1 if name in ("sgd", "adagrad") else 0.999**t
        step, state = optimizer.update(a * (theta - c), state, lr * decay, theta)
        theta = theta + step
    np.testing.assert_allclose(theta, c, atol=1e-3)


def test_make_optimizer_passes_only_its_own_options():
    sgd = make_optimizer("sgd", momentum=0.9, beta1=0.5, rho=0.3)
    assert sgd.momentum == 0.9
    rms = make_optimizer("rmsprop", momentum=0.9, rho=0.5, eps=1e-6)
    assert (rms.rho, rms.eps) == (0.5, 1e-6)


@pytest.mark.parametrize("bad", [lambda: SGD(momentum=-1), lambda: SGD(nesterov=True), lambda: Adam(beta1=1.0),
                                 lambda: Adam(eps=0), lambda: RMSprop(rho=1.5)])
def test_invalid_hyperparameters_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


def test_adamw_with_zero_decay_is_adam():
    grads = [np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.1, -1.0]), np.array([-2.0, 0.0, 4.0])]
    plain = steps(Adam(), grads, lr=0.1)
    decoupled = steps(AdamW(weight_decay=0.0), grads, lr=0.1)
    for (a, _, _), (b, _, _) in zip(plain, decoupled):
        np.testing.assert_array_equal(a, b)


def test_adamw_decays_the_weights_outside_adams_scaling_and_not_the_bias():
    theta = np.array([2.0, -4.0, 10.0])  # two weights, then the bias
    adamw = AdamW(weight_decay=0.1)
    g = np.array([0.5, 0.5, 0.5])
    step, _ = adamw.update(g, adamw.init(theta), 0.01, theta)
    adam_step, _ = Adam().update(g, Adam().init(theta), 0.01)
    # decay: -lr * lambda * w = -0.01 * 0.1 * [2, -4], nothing on the bias
    np.testing.assert_allclose(step - adam_step, [-0.002, 0.004, 0.0])


def test_adagrad_by_hand():
    (s1, st1, _), (s2, st2, _) = steps(Adagrad(eps=1e-8), [np.array([3.0]), np.array([4.0])], lr=0.5)
    # G1 = 9, step1 = -0.5 * 3 / 3;  G2 = 25, step2 = -0.5 * 4 / 5
    np.testing.assert_allclose(st1.G, [9.0])
    np.testing.assert_allclose(s1, [-0.5 * 3 / (3 + 1e-8)])
    np.testing.assert_allclose(st2.G, [25.0])
    np.testing.assert_allclose(s2, [-0.5 * 4 / (5 + 1e-8)])


def test_rmsprop_with_momentum_by_hand():
    (s1, st1, _), (s2, st2, _) = steps(RMSprop(rho=0.9, eps=0.0 + 1e-8, momentum=0.5),
                                       [np.array([2.0]), np.array([-1.0])], lr=0.1)
    v1 = 0.4
    buf1 = 2.0 / (np.sqrt(v1) + 1e-8)
    np.testing.assert_allclose(st1.buffer, [buf1])
    np.testing.assert_allclose(s1, [-0.1 * buf1])
    v2 = 0.9 * 0.4 + 0.1 * 1.0
    buf2 = 0.5 * buf1 + (-1.0) / (np.sqrt(v2) + 1e-8)
    np.testing.assert_allclose(st2.buffer, [buf2])
    np.testing.assert_allclose(s2, [-0.1 * buf2])
