package dev.weir.flow;

public enum Backoff {
  CONSTANT,
  EXPONENTIAL
}
