#define BOOST_TEST_MODULE l2aug
#include <boost/test/unit_test.hpp>
