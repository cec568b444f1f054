#define BOOST_TEST_MODULE recsys
#include <boost/test/unit_test.hpp>
