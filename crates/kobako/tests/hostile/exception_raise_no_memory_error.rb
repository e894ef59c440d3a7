# spec: E-07
# A NoMemoryError raised by the script is just an exception, not the cap.
# expect: sandbox_error NoMemoryError
raise NoMemoryError
