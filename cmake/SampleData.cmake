# The sample data the repository carries (data/), copied to share/labbench/datasets/ in the build
# tree, where labbench-train and the Python helper find it, and installed with the rest of
# share/labbench. LABBENCH_TEST_MNIST_DIR (CMake or environment variable) points the tests and
# benches at another copy of MNIST; by default they use the repository's own.
set(LABBENCH_SAMPLE_DATASETS ${CMAKE_BINARY_DIR}/share/labbench/datasets)
foreach(f SHA256SUMS README.md train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz
          t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
  configure_file(${PROJECT_SOURCE_DIR}/data/mnist/${f} ${LABBENCH_SAMPLE_DATASETS}/mnist/${f} COPYONLY)
endforeach()

if(NOT LABBENCH_TEST_MNIST_DIR AND DEFINED ENV{LABBENCH_TEST_MNIST_DIR})
  set(LABBENCH_TEST_MNIST_DIR "$ENV{LABBENCH_TEST_MNIST_DIR}")
endif()
if(NOT LABBENCH_TEST_MNIST_DIR)
  set(LABBENCH_TEST_MNIST_DIR ${PROJECT_SOURCE_DIR}/data/mnist)
endif()
set(LABBENCH_TEST_MNIST_DIR "${LABBENCH_TEST_MNIST_DIR}" CACHE PATH
    "MNIST for the tests and benches (default: the repository's data/mnist)")
