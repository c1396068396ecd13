package server

// CachedLayers reports how many built layers the server keeps, so tests
// can check that clients cannot grow the cache without bound.
func (s *Server) CachedLayers() int {
	s.layers.mu.Lock()
	defer s.layers.mu.Unlock()
	return len(s.layers.layers)
}
