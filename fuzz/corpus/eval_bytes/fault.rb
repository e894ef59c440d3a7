begin; Host::Fail.call("nope"); rescue Kobako::ServiceError => e; e.message; end
