package io.github.overparam.core.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.overparam.core.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * The packed products allocate nothing once compiled: a b, a^T b (its left factor packed down the
 * columns) and a b^T, float64 and float32, with the blocking of this JVM. Vector code whose call
 * sites the JIT does not intrinsify (a second vector species in the same method, say) allocates
 * every vector it makes; AllocationTest's small nets do not reach the packed path.
 *
 * <p>Measured in a JVM of its own ({@link PackedProductAllocationProbe}): in this test JVM, after
 * the hundreds of tests before it, JDK 17's C2 once compiled the products with their Vector API
 * calls un-intrinsified (104 MB a call, 2026-12-03), a property of the fork's history, not of the
 * code (as for AllocationTest).
 */
class PackedProductAllocationTest {

  @Test
  void packedProductsAllocateNothing() throws Exception {
    assumeTrue(Dense.vectorized(), "vector kernels not available in this JVM");
    String out = FreshJvm.run(PackedProductAllocationProbe.class);
    assumeTrue(!out.contains("not packed"), "the packed path is not taken here");
    assertTrue(out.contains("bytes/call "), out);
    double perCall = Double.parseDouble(out.substring(out.indexOf("bytes/call ") + 11).trim().split("\\s")[0]);
    assertTrue(perCall < 1, "the packed products allocate " + perCall + " bytes per call");
  }
}
